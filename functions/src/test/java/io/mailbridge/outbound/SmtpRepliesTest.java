package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;

/** How the relay's answers, as Angus Mail reports them, become send results. */
class SmtpRepliesTest {

    private static SMTPSendFailedException afterData(int code, String reply) {
        return new SMTPSendFailedException(".", code, reply, null, null, null, null);
    }

    @Test
    void aTemporaryReplyIsRetriedAndCertainlyNotSent() {
        SendResult.Retryable result = assertInstanceOf(SendResult.Retryable.class,
                SmtpSender.classified(afterData(451, "451 4.7.500 Server busy. Please try again later.\n")));

        assertTrue(result.countsAsFailure());
        assertFalse(result.maybeSent());
        assertEquals("The SMTP relay deferred the mail: 451 4.7.500 Server busy. Please try again later.", result.reason());
    }

    @Test
    void aPermanentReplyFailsTheMailWithTheServersReason() {
        SendResult.Rejected result = assertInstanceOf(SendResult.Rejected.class,
                SmtpSender.classified(afterData(550, "550 5.7.1 Relaying denied")));

        assertEquals("The SMTP relay refused the mail: 550 5.7.1 Relaying denied", result.reason());
    }

    @Test
    void aRefusedRecipientIsFoundInTheExceptionChain() throws Exception {
        SendFailedException invalid = new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(new InternetAddress("nobody@fabrikam.example"), "RCPT TO", 550, "550 5.1.1 User unknown"));

        assertEquals("The SMTP relay refused the mail: 550 5.1.1 User unknown",
                assertInstanceOf(SendResult.Rejected.class, SmtpSender.classified(invalid)).reason());
    }

    @Test
    void theRelaysOwnSpentQuotaWaitsInsteadOfFailing() {
        SendResult.Retryable result = assertInstanceOf(SendResult.Retryable.class, SmtpSender.classified(afterData(554,
                "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message")));

        assertEquals(SmtpSender.RELAY_QUOTA_PAUSE, result.after());
        assertFalse(result.countsAsFailure());
    }

    @Test
    void noConnectionMeansNotSentButABrokenDialogueMayHaveSent() {
        MailConnectException refused = new MailConnectException(new SocketConnectException("refused", new ConnectException(), "relay", 587, 15000));
        MessagingException hungUp = new MessagingException("[EOF]");

        assertFalse(assertInstanceOf(SendResult.Retryable.class, SmtpSender.classified(refused)).maybeSent());
        assertTrue(assertInstanceOf(SendResult.Retryable.class, SmtpSender.classified(hungUp)).maybeSent());
        assertTrue(assertInstanceOf(SendResult.Retryable.class, SmtpSender.classified(afterData(-1, "[EOF]"))).maybeSent());
    }

    @Test
    void refusedCredentialsAreRetriedForOperatorsToFix() {
        SendResult.Retryable result = assertInstanceOf(SendResult.Retryable.class,
                SmtpSender.classified(new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid")));

        assertTrue(result.reason().startsWith("The SMTP relay refused the app's credentials"));
    }
}
