package io.mailbridge.sandbox.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.mailbridge.sandbox.tls.SandboxTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Angus Mail, configured as the app will be, against the relay over loopback. */
class SmtpRelayIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** One certificate for the class: generating an RSA key per test would only slow the run. */
    private static final SandboxTls TLS = SandboxTls.generate();

    private SmtpRelay relay;
    private AngusClient client;

    @BeforeEach
    void startRelay() {
        relay = SmtpRelay.start(SmtpRelayConfig.defaults(), TLS);
        client = AngusClient.trusting(relay);
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    @Test
    void acceptsMailOverStartTlsWithAuthAndRecordsEnvelopeHeadersAndRawMime() throws Exception {
        SMTPMessage message = client.message("bounces@crm.test", "Ann Seller <ann@contoso.test>",
                "prospect@fabrikam.test", "Ürgent: quarterly numbers");
        message.setRecipients(Message.RecipientType.BCC, "archive@crm.test");

        client.send(message);

        List<RelayedMail> messages = relay.messages();
        assertEquals(1, messages.size());
        RelayedMail mail = messages.get(0);
        assertEquals("bounces@crm.test", mail.envelopeSender());
        assertEquals(List.of("archive@crm.test", "prospect@fabrikam.test"), mail.envelopeRecipients());
        assertEquals(message.getMessageID(), mail.messageId().orElseThrow());
        assertEquals("Ürgent: quarterly numbers", mail.subject().orElseThrow());
        assertEquals("Ann Seller <ann@contoso.test>", mail.header("from").orElseThrow());
        assertTrue(mail.header("Bcc").isEmpty(), "Bcc travels in the envelope only");
        assertTrue(mail.header("Received").isPresent(), "the relay stamps what it received, as an MTA does");

        MimeMessage parsed = mail.parse();
        assertEquals("Hello from the CRM.", ((String) parsed.getContent()).trim());
        assertEquals(message.getMessageID(), parsed.getMessageID());
        assertTrue(relay.refusals().isEmpty());
    }

    @Test
    void refusesWrongPasswordAndRecordsNothing() throws Exception {
        MimeMessage message = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "hi");

        assertThrows(AuthenticationFailedException.class, () -> client.send(message, relay.username(), "not-the-password"));
        assertThrows(AuthenticationFailedException.class, () -> client.send(message, "someone-else", relay.password()));
        assertTrue(relay.messages().isEmpty());
    }

    @Test
    void refusesMailFromClientThatSkipsStartTls() throws Exception {
        AngusClient plain = AngusClient.withoutTls(relay);
        MimeMessage message = plain.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "hi");

        SMTPSendFailedException refused = assertThrows(SMTPSendFailedException.class, () -> plain.send(message));

        // AUTH is offered only after STARTTLS, so the client never authenticated and MAIL is refused.
        assertEquals(530, refused.getReturnCode());
        assertTrue(refused.getMessage().contains("5.7.57 Client not authenticated to send mail"), refused.getMessage());
        assertTrue(relay.messages().isEmpty());
    }

    @Test
    void clientThatDoesNotTrustTheCertificateCannotSendAndOthersStillCan() throws Exception {
        AngusClient untrusting = AngusClient.withDefaultTrust(relay);
        MimeMessage refused = untrusting.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "hi");

        MessagingException failure = assertThrows(MessagingException.class, () -> untrusting.send(refused));
        assertTrue(causes(failure, SSLHandshakeException.class), "expected a TLS handshake failure, got " + failure);

        client.send(client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "after"));
        assertEquals(1, relay.messages().size());
    }

    @Test
    void temporaryFaultsAnswerTheNextMessagesThenTheRelayAcceptsAgain() throws Exception {
        relay.failNext(2, SmtpFault.serverBusy());

        for (int attempt = 1; attempt <= 2; attempt++) {
            MimeMessage message = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "try " + attempt);
            SMTPSendFailedException refused = assertThrows(SMTPSendFailedException.class, () -> client.send(message));
            assertEquals(451, refused.getReturnCode());
            assertTrue(refused.getMessage().startsWith("451 4.7.500 Server busy"), refused.getMessage());
        }
        MimeMessage third = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "try 3");
        client.send(third);

        assertEquals(List.of(third.getMessageID()), relay.messages().stream().map(m -> m.messageId().orElseThrow()).toList());
        List<RefusedMail> refusals = relay.refusals();
        assertEquals(2, refusals.size());
        assertEquals(SmtpFault.serverBusy(), refusals.get(0).fault());
        assertEquals("try 1", refusals.get(0).mail().subject().orElseThrow());
    }

    @Test
    void quotaFaultAnswersEveryMessageWithExchangesTextUntilReset() throws Exception {
        relay.failUntilReset(SmtpFault.quotaExceeded());

        for (int attempt = 1; attempt <= 3; attempt++) {
            MimeMessage message = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "try " + attempt);
            SMTPSendFailedException refused = assertThrows(SMTPSendFailedException.class, () -> client.send(message));
            assertEquals(554, refused.getReturnCode());
            assertTrue(refused.getMessage().startsWith(
                    "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"), refused.getMessage());
        }
        relay.reset();
        client.send(client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "after reset"));

        assertEquals(3, relay.refusals().size());
        assertEquals(List.of("after reset"), relay.messages().stream().map(m -> m.subject().orElseThrow()).toList());
    }

    @Test
    void queuedFaultsComeInOrderBeforeTheStandingOne() throws Exception {
        relay.failNext(1, SmtpFault.serverBusy());
        relay.failUntilReset(SmtpFault.quotaExceeded());

        int[] codes = new int[2];
        for (int attempt = 0; attempt < 2; attempt++) {
            MimeMessage message = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "try " + attempt);
            codes[attempt] = assertThrows(SMTPSendFailedException.class, () -> client.send(message)).getReturnCode();
        }

        assertEquals(451, codes[0]);
        assertEquals(554, codes[1]);
    }

    @Test
    void droppedConnectionLeavesTheClientWithoutAReplyAndTheMessageUndelivered() throws Exception {
        relay.failNext(1, SmtpFault.dropConnection());
        MimeMessage dropped = client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "dropped");

        SMTPSendFailedException failure = assertThrows(SMTPSendFailedException.class, () -> client.send(dropped));

        // Angus Mail reports the hang-up after DATA as a send failure without a reply code.
        assertEquals(-1, failure.getReturnCode());
        assertEquals("[EOF]", failure.getMessage());
        assertTrue(relay.messages().isEmpty());
        assertEquals(1, relay.refusals().size());
        assertInstanceOf(SmtpFault.DropConnection.class, relay.refusals().get(0).fault());

        client.send(client.message("bounces@crm.test", "ann@contoso.test", "p@fabrikam.test", "next"));
        assertEquals(1, relay.messages().size());
    }

    @Test
    void awaitMessageReturnsOnceAMatchingMessageArrives() throws Exception {
        MimeMessage message = client.message("bounces@crm.test", "ann@contoso.test", "late@fabrikam.test", "later");
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                client.send(message);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });

        RelayedMail mail = relay.awaitMessage(m -> m.envelopeRecipients().contains("late@fabrikam.test"), WAIT);

        assertEquals("later", mail.subject().orElseThrow());
        sending.join();
    }

    @Test
    void awaitMessagesFailsTheTestAtItsDeadline() {
        AssertionError timedOut = assertThrows(AssertionError.class,
                () -> relay.awaitMessages(1, m -> true, Duration.ofMillis(50)));

        assertTrue(timedOut.getMessage().contains("found 0 among 0 accepted and 0 refused"), timedOut.getMessage());
    }

    @Test
    void usesTheConfiguredCredentialsAndClock() throws Exception {
        Instant sandboxNow = Instant.parse("2025-05-01T10:20:00Z");
        SmtpRelayConfig config = SmtpRelayConfig.defaults()
                .withCredentials("crm@relay.test", "s3cret pass")
                .withClock(Clock.fixed(sandboxNow, ZoneOffset.UTC));
        try (SmtpRelay custom = SmtpRelay.start(config, TLS)) {
            AngusClient customClient = AngusClient.trusting(custom);
            assertNotEquals(relay.port(), custom.port());
            assertEquals("crm@relay.test", custom.username());

            customClient.send(customClient.message("b@crm.test", "ann@contoso.test", "p@fabrikam.test", "custom"));

            assertEquals(sandboxNow, custom.messages().get(0).receivedAt());
            assertTrue(relay.messages().isEmpty(), "each relay records its own mail");
        }
    }

    private static boolean causes(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
