package io.mailbridge.outbound;

import io.mailbridge.Lazy;
import io.mailbridge.config.Settings;
import io.mailbridge.graph.TrustMaterial;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Sends through the CRM's custom SMTP relay with Angus Mail: STARTTLS required and the certificate's
 * host name checked, AUTH with the configured credentials, MAIL FROM the configured envelope sender.
 * A 4xx or a dropped connection is worth another try; a 5xx is the relay's final word.
 *
 * <p>Connections come from {@link RelayConnections}, authenticated once and checked with RSET before each
 * further mail; never Transport.send, whose QUIT can fail after the relay took the mail and hide the send's
 * own outcome. A connection that failed is closed and never used again.
 */
public final class SmtpSender {
    /** A relay whose own quota is spent (Exchange answers 554 5.2.0 ...SubmissionQuotaExceeded) is left alone this long. */
    static final Duration RELAY_QUOTA_PAUSE = Duration.ofMinutes(30);

    private final Clock clock;
    private final Lazy<Relay> relay;

    /** The mail session and its pool of relay connections, made on the first send: Angus Mail and TLS are not a cold start's. */
    private record Relay(Session session, RelayConnections connections) {}

    public SmtpSender(Settings.Smtp smtp, Clock clock) {
        this.clock = clock;
        TrustMaterial trust = TrustMaterial.of(smtp.extraCaCertificates());
        this.relay = Lazy.of(() -> {
            Properties properties = new Properties();
            properties.setProperty("mail.smtp.host", smtp.host());
            properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
            properties.setProperty("mail.smtp.auth", "true");
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
            properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            properties.put("mail.smtp.ssl.socketFactory", trust.socketFactory());
            properties.setProperty("mail.smtp.from", smtp.envelopeSender());
            properties.setProperty("mail.smtp.connectiontimeout", "15000");
            properties.setProperty("mail.smtp.timeout", "60000");
            properties.setProperty("mail.smtp.writetimeout", "60000");
            // A pooled connection is checked with RSET rather than NOOP: it also clears any transaction left half-done.
            properties.setProperty("mail.smtp.userset", "true");
            Session session = Session.getInstance(properties);
            return new Relay(session, new RelayConnections(session, smtp.username(), smtp.password(), clock));
        });
    }

    SendResult send(OutboxRecord record, OutgoingMail mail) {
        MimeMessage message;
        try {
            message = MimeMessages.build(relay.get().session(), record, mail, clock.instant());
        } catch (MessagingException e) {
            return new SendResult.Rejected("The mail cannot be written as MIME: " + Reasons.shortened(e.getMessage()));
        }
        try {
            relay.get().connections().send(transport -> transport.sendMessage(message, message.getAllRecipients()));
        } catch (MessagingException e) {
            return classified(e);
        }
        return new SendResult.Sent(record.message().internetMessageId());
    }

    /** The relay's answer, as the first SMTP reply in the exception chain says it. */
    static SendResult classified(MessagingException failure) {
        if (failure instanceof AuthenticationFailedException) {
            return SendResult.Retryable.failed(null, "The SMTP relay refused the app's credentials: "
                    + Reasons.shortened(failure.getMessage()));
        }
        for (Exception e = failure; e != null; e = e instanceof MessagingException m ? m.getNextException() : null) {
            int code = replyCode(e);
            String reply = Reasons.shortened(e.getMessage());
            if (code >= 500 && reply.contains("SubmissionQuotaExceeded")) {
                return SendResult.Retryable.throttled(RELAY_QUOTA_PAUSE, "The SMTP relay's own sending quota is spent: " + reply);
            }
            if (code >= 500) {
                return new SendResult.Rejected("The SMTP relay refused the mail: " + reply);
            }
            if (code >= 400) {
                return SendResult.Retryable.failed(null, "The SMTP relay deferred the mail: " + reply);
            }
        }
        // No reply: the relay could not be reached (nothing sent), or the connection broke during the dialogue,
        // possibly after the relay had taken the mail.
        boolean neverConnected = failure instanceof MailConnectException;
        return SendResult.Retryable.failed(null, "The SMTP relay " + (neverConnected ? "could not be reached" : "broke off the dialogue")
                + ": " + Reasons.shortened(failure.getMessage())).possiblySentIf(!neverConnected);
    }

    private static int replyCode(Exception e) {
        if (e instanceof SMTPSendFailedException send) {
            return send.getReturnCode();
        }
        if (e instanceof SMTPAddressFailedException address) {
            return address.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException sender) {
            return sender.getReturnCode();
        }
        return -1;
    }
}
