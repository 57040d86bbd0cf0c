package io.mailbridge.sandbox.smtp;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A message as the relay received it: the SMTP envelope (MAIL FROM, every RCPT TO, which is where
 * Bcc recipients show), the raw MIME and its headers. Like any MTA, the relay prepends
 * {@code Return-Path} and {@code Received} to the raw message.
 */
public record RelayedMail(Instant receivedAt, String envelopeSender, List<String> envelopeRecipients,
                          List<MailHeader> headers, byte[] raw) {

    public RelayedMail {
        envelopeRecipients = List.copyOf(envelopeRecipients);
        headers = List.copyOf(headers);
        raw = raw.clone();
    }

    static RelayedMail of(MovingMessage message, Instant receivedAt) {
        List<String> recipients = new ArrayList<>();
        for (MailAddress recipient : message.getToAddresses()) {
            recipients.add(recipient.getEmail());
        }
        Collections.sort(recipients); // the envelope holds a set; sorted keeps assertions stable
        try {
            List<MailHeader> headers = new ArrayList<>();
            for (Header header : Collections.list(message.getMessage().getAllHeaders())) {
                headers.add(new MailHeader(header.getName(), MimeUtility.unfold(header.getValue()).trim()));
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.getMessage().writeTo(raw);
            return new RelayedMail(receivedAt, message.getReturnPath().getEmail(), recipients, headers, raw.toByteArray());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("Cannot record a received message", e);
        }
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The first header of that name (case-insensitive), unfolded but not decoded. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(MailHeader::value).findFirst();
    }

    /** The Message-ID header with its angle brackets, the form Graph calls internetMessageId. */
    public Optional<String> messageId() {
        return header("Message-ID");
    }

    /** The Subject, decoded from RFC 2047 encoded words. */
    public Optional<String> subject() {
        return header("Subject").map(RelayedMail::decoded);
    }

    /** The raw message parsed again, for assertions on bodies and attachments. */
    public MimeMessage parse() {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot parse a message the relay accepted", e);
        }
    }

    private static String decoded(String text) {
        try {
            return MimeUtility.decodeText(text);
        } catch (UnsupportedEncodingException e) {
            return text; // an unknown charset: show the words as sent
        }
    }
}
