package io.mailbridge.sandbox.graph;

import io.mailbridge.sandbox.exchange.FileAttachment;
import io.mailbridge.sandbox.exchange.MessageHeader;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.Recipient;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A message in MIME format, as Graph takes it (Content-Type text/plain, the MIME base64-encoded) to create a draft or
 * send. Unlike JSON, MIME keeps the standard threading headers: In-Reply-To and References stay on the stored message
 * with the x- headers, and Exchange threads the message by them.
 */
final class MimeContent {
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeContent() {
    }

    /** Bad input throws IllegalArgumentException with Graph's wording. */
    static NewMessage parse(byte[] base64) {
        byte[] mime;
        try {
            mime = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid base64 string for MIME content.");
        }
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(mime));
            List<MessageHeader> headers = new ArrayList<>();
            for (String name : List.of("In-Reply-To", "References")) {
                String value = message.getHeader(name, " ");
                if (value != null) {
                    headers.add(new MessageHeader(name, MimeUtility.unfold(value).trim()));
                }
            }
            message.getAllHeaders().asIterator().forEachRemaining(header -> {
                if (header.getName().regionMatches(true, 0, "x-", 0, 2)) {
                    headers.add(new MessageHeader(header.getName(), header.getValue()));
                }
            });
            Body body = new Body();
            body.read(message);
            if (message.getAllRecipients() == null && message.getFrom() == null && message.getSubject() == null && body.content == null) {
                throw new IllegalArgumentException("Invalid MIME content: no headers or body.");
            }
            Address[] from = message.getFrom();
            return new NewMessage(message.getSubject(), body.html != null ? "html" : "text", body.html != null ? body.html : body.content,
                    from == null || from.length == 0 ? null : recipient(from[0]), recipients(message, jakarta.mail.Message.RecipientType.TO),
                    recipients(message, jakarta.mail.Message.RecipientType.CC), recipients(message, jakarta.mail.Message.RecipientType.BCC),
                    message.getHeader("Reply-To") == null ? List.of() : toRecipients(message.getReplyTo()),
                    message.getMessageID(), headers, List.of(), body.attachments, null, null, null, null);
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("Invalid MIME content: " + e.getMessage());
        }
    }

    private static List<Recipient> recipients(MimeMessage message, jakarta.mail.Message.RecipientType type) throws MessagingException {
        Address[] addresses = message.getRecipients(type);
        return addresses == null ? List.of() : toRecipients(addresses);
    }

    private static List<Recipient> toRecipients(Address[] addresses) {
        List<Recipient> recipients = new ArrayList<>();
        for (Address address : addresses) {
            recipients.add(recipient(address));
        }
        return recipients;
    }

    private static Recipient recipient(Address address) {
        InternetAddress internet = (InternetAddress) address;
        return new Recipient(internet.getPersonal() != null ? internet.getPersonal() : internet.getAddress(), internet.getAddress());
    }

    /** The body Graph shows (HTML before text) and the attachments, from a message's MIME tree. */
    private static final class Body {
        String content;
        String html;
        final List<FileAttachment> attachments = new ArrayList<>();

        void read(Part part) throws MessagingException, IOException {
            String type = part.getContentType() == null ? "text/plain" : part.getContentType().toLowerCase(Locale.ROOT);
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    read(child);
                }
            } else if (part.getFileName() != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())
                    || (!type.startsWith("text/") && part.getHeader("Content-ID") != null)) {
                String[] contentId = part.getHeader("Content-ID");
                attachments.add(new FileAttachment(null, part.getFileName() == null ? "attachment" : part.getFileName(),
                        type.split(";")[0].trim(), part.getInputStream().readAllBytes(), Part.INLINE.equalsIgnoreCase(part.getDisposition()),
                        contentId == null ? null : contentId[0].replaceAll("^<|>$", ""), null));
            } else if (part.isMimeType("text/html") && html == null) {
                html = (String) part.getContent();
            } else if (part.isMimeType("text/plain") && content == null) {
                content = (String) part.getContent();
            }
        }
    }
}
