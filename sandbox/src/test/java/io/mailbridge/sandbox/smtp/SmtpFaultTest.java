package io.mailbridge.sandbox.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmtpFaultTest {

    @Test
    void quotaExceededIsExchangesPermanentSubmissionQuotaReply() {
        SmtpFault.Reply quota = SmtpFault.quotaExceeded();

        assertEquals(554, quota.code());
        assertTrue(quota.isPermanent());
        assertTrue(quota.line().startsWith("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"),
                quota.line());
    }

    @Test
    void serverBusyIsTemporary() {
        SmtpFault.Reply busy = SmtpFault.serverBusy();

        assertEquals("451 4.7.500 Server busy. Please try again later.", busy.line());
        assertFalse(busy.isPermanent());
    }

    @Test
    void refusesRepliesThatAreNotFaultsOrNotOneLine() {
        assertThrows(IllegalArgumentException.class, () -> SmtpFault.reply(250, "2.0.0 OK"));
        assertThrows(IllegalArgumentException.class, () -> SmtpFault.reply(600, "nope"));
        assertThrows(IllegalArgumentException.class, () -> SmtpFault.reply(550, "two\r\n250 lines"));
        assertThrows(IllegalArgumentException.class, () -> SmtpFault.reply(550, " "));
    }
}
