package io.mailbridge.outbound;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Writes an {@link OutgoingMail} as MIME for the relay: the send's own Message-ID (the same on every
 * attempt, so recipients' systems and the CRM can recognise a repeat), threading headers, both body
 * forms as multipart/alternative, inline images as multipart/related, files as multipart/mixed.
 */
final class MimeMessages {
    static final String SEND_ID_HEADER = "X-Mailbridge-Send-Id";

    private MimeMessages() {}

    static MimeMessage build(Session session, OutboxRecord record, OutgoingMail mail, Instant now) throws MessagingException {
        MimeMessage message = new IdentifiedMessage(session, record.message().internetMessageId());
        message.setFrom(new InternetAddress(mail.from()));
        message.setRecipients(Message.RecipientType.TO, addresses(mail.to()));
        message.setRecipients(Message.RecipientType.CC, addresses(mail.cc()));
        message.setRecipients(Message.RecipientType.BCC, addresses(mail.bcc()));
        if (!mail.replyTo().isEmpty()) {
            message.setReplyTo(addresses(mail.replyTo()));
        }
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(Date.from(now));
        if (mail.inReplyTo() != null) {
            message.setHeader("In-Reply-To", mail.inReplyTo());
        }
        if (!mail.references().isEmpty()) {
            message.setHeader("References", MimeUtility.fold("References: ".length(), String.join(" ", mail.references())));
        }
        message.setHeader(SEND_ID_HEADER, record.sendId());
        writeContent(message, mail);
        message.saveChanges();
        return message;
    }

    private static void writeContent(MimeMessage message, OutgoingMail mail) throws MessagingException {
        List<OutgoingMail.Attachment> inline = mail.html() == null ? List.of()
                : mail.attachments().stream().filter(a -> a.inline() && a.contentId() != null).toList();
        List<OutgoingMail.Attachment> files = mail.attachments().stream().filter(a -> !inline.contains(a)).toList();
        if (inline.isEmpty() && files.isEmpty()) {
            writeBody(message, mail);
            return;
        }
        MimeMultipart related = null;
        if (!inline.isEmpty()) {
            related = new MimeMultipart("related");
            MimeBodyPart body = new MimeBodyPart();
            writeBody(body, mail);
            related.addBodyPart(body);
            for (OutgoingMail.Attachment attachment : inline) {
                related.addBodyPart(attachmentPart(attachment));
            }
        }
        if (files.isEmpty()) {
            message.setContent(related);
            return;
        }
        MimeBodyPart first = new MimeBodyPart();
        if (related != null) {
            first.setContent(related);
        } else {
            writeBody(first, mail);
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(first);
        for (OutgoingMail.Attachment attachment : files) {
            mixed.addBodyPart(attachmentPart(attachment));
        }
        message.setContent(mixed);
    }

    private static void writeBody(MimePart part, OutgoingMail mail) throws MessagingException {
        if (mail.text() != null && mail.html() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            part.setContent(alternative);
        } else if (mail.html() != null) {
            part.setText(mail.html(), "UTF-8", "html");
        } else {
            part.setText(mail.text(), "UTF-8");
        }
    }

    private static MimeBodyPart attachmentPart(OutgoingMail.Attachment attachment) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
        part.setFileName(attachment.name());
        part.setDisposition(attachment.inline() ? Part.INLINE : Part.ATTACHMENT);
        if (attachment.contentId() != null) {
            part.setContentID("<" + attachment.contentId() + ">");
        }
        return part;
    }

    private static InternetAddress[] addresses(List<OutgoingMail.Address> addresses) throws MessagingException {
        InternetAddress[] internet = new InternetAddress[addresses.size()];
        for (int i = 0; i < internet.length; i++) {
            OutgoingMail.Address address = addresses.get(i);
            try {
                internet[i] = new InternetAddress(address.address(), address.name(), "UTF-8");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
        return internet;
    }

    /** Keeps the send's Message-ID where Jakarta Mail would write a new one on every saveChanges(). */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String messageId;

        IdentifiedMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
