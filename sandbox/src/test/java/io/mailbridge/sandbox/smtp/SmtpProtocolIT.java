package io.mailbridge.sandbox.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The relay's SMTP dialogue line by line, where a mail library would hide the details. */
@ExtendWith(SmtpRelayExtension.class)
class SmtpProtocolIT {

    @Test
    void offersOnlyStartTlsBeforeTlsAndRefusesAuthThere(SmtpRelay relay) throws Exception {
        try (SmtpDialogue smtp = new SmtpDialogue(relay)) {
            assertTrue(smtp.reply().startsWith("220 "));

            String ehlo = smtp.command("EHLO app.test");
            assertTrue(ehlo.endsWith("250 STARTTLS"), ehlo);
            assertFalse(ehlo.contains("AUTH"), ehlo);
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", smtp.command("AUTH PLAIN " + plain(relay)));
            assertEquals("530 5.7.57 Client not authenticated to send mail", smtp.command("MAIL FROM:<a@crm.test>"));
        }
    }

    @Test
    void offersAuthAfterStartTlsAndTakesMailOnceAuthenticated(SmtpRelay relay) throws Exception {
        try (SmtpDialogue smtp = new SmtpDialogue(relay)) {
            smtp.reply();
            smtp.command("EHLO app.test");
            assertEquals("220 2.0.0 SMTP server ready", smtp.command("STARTTLS"));
            smtp.startTls(relay.tls().clientContext(), "localhost");

            String ehlo = smtp.command("EHLO app.test");
            assertTrue(ehlo.endsWith("250 AUTH PLAIN LOGIN"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertEquals("503 5.5.1 TLS already active", smtp.command("STARTTLS"));
            assertEquals("504 5.7.4 Unrecognized authentication type", smtp.command("AUTH XOAUTH2 dG9rZW4="));
            assertTrue(smtp.command("AUTH PLAIN " + plain(relay)).startsWith("235 "));
            assertTrue(smtp.command("MAIL FROM:<a@crm.test>").startsWith("250"));
            assertTrue(smtp.command("RCPT TO:<p@fabrikam.test>").startsWith("250"));
            assertTrue(smtp.command("DATA").startsWith("354"));
            assertTrue(smtp.command("Subject: by hand\r\n\r\nbody\r\n.").startsWith("250"));
            assertTrue(smtp.command("QUIT").startsWith("221"));
        }

        RelayedMail mail = relay.messages().get(0);
        assertEquals("a@crm.test", mail.envelopeSender());
        assertEquals("by hand", mail.subject().orElseThrow());
    }

    private static String plain(SmtpRelay relay) {
        String response = "\0" + relay.username() + "\0" + relay.password();
        return Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8));
    }
}
