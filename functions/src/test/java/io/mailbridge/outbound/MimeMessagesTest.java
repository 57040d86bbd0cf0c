package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MimeMessagesTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final OutboxRecord RECORD = OutboxRecord.queued("acct", "user", "AbC-123_xyz", "key", "f", "p", 3,
            "<AbC-123_xyz@contoso.example>", T0);

    private static OutgoingMail mail(String text, String html, List<OutgoingMail.Attachment> attachments) {
        return new OutgoingMail("sales@contoso.example", List.of(new OutgoingMail.Address("buyer@fabrikam.example", "Bü Yer")),
                List.of(new OutgoingMail.Address("cc@fabrikam.example", null)), List.of(new OutgoingMail.Address("hidden@fabrikam.example", null)),
                List.of(new OutgoingMail.Address("replies@contoso.example", null)), "Offer – €5", text, html, attachments,
                "<first@fabrikam.example>", List.of("<root@fabrikam.example>", "<first@fabrikam.example>"));
    }

    /** What the relay receives: the message as SMTP writes it (without Bcc), parsed again. */
    private static MimeMessage asReceived(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out, new String[] {"Bcc"});
        return new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void carriesTheSendsOwnMessageIdAndThreadingHeadersAndKeepsBccOffTheWire() throws Exception {
        MimeMessage message = MimeMessages.build(SESSION, RECORD, mail("Hello", null, List.of()), T0);
        message.saveChanges();
        MimeMessage received = asReceived(message);

        assertEquals("<AbC-123_xyz@contoso.example>", received.getMessageID());
        assertEquals("<first@fabrikam.example>", received.getHeader("In-Reply-To")[0]);
        assertEquals("<root@fabrikam.example> <first@fabrikam.example>", received.getHeader("References")[0].replaceAll("\\s+", " "));
        assertEquals("AbC-123_xyz", received.getHeader(MimeMessages.SEND_ID_HEADER)[0]);
        assertEquals("Offer – €5", received.getSubject());
        assertEquals("sales@contoso.example", received.getFrom()[0].toString());
        assertEquals("\"Bü Yer\" <buyer@fabrikam.example>", ((jakarta.mail.internet.InternetAddress) received.getRecipients(Message.RecipientType.TO)[0]).toUnicodeString());
        assertEquals(null, received.getHeader("Bcc"));
        assertEquals(3, message.getAllRecipients().length, "the envelope still names the Bcc recipient");
        assertEquals("Hello", received.getContent());
    }

    @Test
    void writesBothBodiesAsAlternativesWithInlineImagesRelatedAndFilesMixed() throws Exception {
        byte[] logo = {1, 2, 3};
        byte[] pdf = "%PDF".getBytes(StandardCharsets.US_ASCII);
        MimeMessage message = asReceived(MimeMessages.build(SESSION, RECORD, mail("Hello", "<p>Hello <img src=\"cid:logo\"></p>",
                List.of(new OutgoingMail.Attachment("logo.png", "image/png", "logo", true, logo),
                        new OutgoingMail.Attachment("offer.pdf", "application/pdf", null, false, pdf))), T0));

        Multipart mixed = (Multipart) message.getContent();
        assertTrue(message.isMimeType("multipart/mixed"));
        Multipart related = (Multipart) mixed.getBodyPart(0).getContent();
        assertTrue(mixed.getBodyPart(0).isMimeType("multipart/related"));
        Multipart alternative = (Multipart) related.getBodyPart(0).getContent();
        assertEquals("Hello", alternative.getBodyPart(0).getContent());
        assertEquals("<p>Hello <img src=\"cid:logo\"></p>", alternative.getBodyPart(1).getContent());
        assertEquals("<logo>", ((jakarta.mail.internet.MimeBodyPart) related.getBodyPart(1)).getContentID());
        assertEquals(Part.INLINE, related.getBodyPart(1).getDisposition());
        assertEquals("offer.pdf", mixed.getBodyPart(1).getFileName());
        assertArrayEquals(pdf, mixed.getBodyPart(1).getInputStream().readAllBytes());
        assertFalse(message.isMimeType("text/plain"));
    }

    @Test
    void theMessageIdSurvivesEverySaveChanges() throws Exception {
        MimeMessage message = MimeMessages.build(SESSION, RECORD, mail(null, "<b>x</b>", List.of()), T0);
        message.saveChanges();
        message.saveChanges();

        assertEquals("<AbC-123_xyz@contoso.example>", message.getMessageID());
        assertTrue(message.isMimeType("text/html"));
    }
}
