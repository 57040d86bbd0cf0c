package io.mailbridge.sandbox.smtp;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/** Angus Mail set up the way the app will use it in production: STARTTLS required, AUTH, host name checked. */
final class AngusClient {
    private final SmtpRelay relay;
    private final Properties properties;

    private AngusClient(SmtpRelay relay, Properties properties) {
        this.relay = relay;
        this.properties = properties;
    }

    /** Trusts exactly the relay's certificate. */
    static AngusClient trusting(SmtpRelay relay) {
        Properties properties = baseProperties(relay);
        properties.put("mail.smtp.ssl.socketFactory", relay.tls().socketFactory());
        return new AngusClient(relay, properties);
    }

    /** Uses the JVM's default trust, which does not include the relay's certificate. */
    static AngusClient withDefaultTrust(SmtpRelay relay) {
        return new AngusClient(relay, baseProperties(relay));
    }

    /** Sends in plain text, never asking for STARTTLS. */
    static AngusClient withoutTls(SmtpRelay relay) {
        Properties properties = baseProperties(relay);
        properties.setProperty("mail.smtp.starttls.enable", "false");
        properties.setProperty("mail.smtp.starttls.required", "false");
        return new AngusClient(relay, properties);
    }

    private static Properties baseProperties(SmtpRelay relay) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", relay.host());
        properties.setProperty("mail.smtp.port", Integer.toString(relay.port()));
        properties.setProperty("mail.smtp.auth", "true");
        properties.setProperty("mail.smtp.starttls.enable", "true");
        properties.setProperty("mail.smtp.starttls.required", "true");
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "10000");
        return properties;
    }

    Session session() {
        return Session.getInstance(properties);
    }

    /** A message with a distinct envelope sender, as the app sends with a configurable bounce address. */
    SMTPMessage message(String envelopeSender, String from, String to, String subject) throws MessagingException {
        SMTPMessage message = new SMTPMessage(session());
        message.setEnvelopeFrom(envelopeSender);
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        message.setText("Hello from the CRM.\n", "UTF-8");
        return message;
    }

    void send(MimeMessage message) throws MessagingException {
        send(message, relay.username(), relay.password());
    }

    /**
     * Sends on a transport of its own, as the app will. Not {@code Transport.send}: when the relay hangs
     * up, that one can throw the QUIT's broken pipe from its close() instead of the send's own failure.
     */
    void send(MimeMessage message, String username, String password) throws MessagingException {
        try (Transport transport = message.getSession().getTransport("smtp")) {
            transport.connect(username, password);
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }
}
