package io.mailbridge.bcc;

import io.mailbridge.inbound.DeliveryInProgressException;
import io.mailbridge.inbound.MailDelivery;

import io.mailbridge.Sha256;
import io.mailbridge.config.Settings;
import io.mailbridge.mailbox.BccAddresses;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.storage.Stored;
import io.mailbridge.telemetry.InvocationLog;
import io.mailbridge.telemetry.Metrics;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Takes mail that the inbound mail gateway received for a BCC address and hands it to the CRM as the
 * address owner's mail.
 *
 * <p>Routing: the account and user come from the envelope recipient the gateway passes. Only when it
 * passes none do the mail's Delivered-To and then X-Original-To headers stand in (a gateway that
 * writes them, as Postfix and Dovecot do). To and Cc never route: a BCC'd address is not in them, and
 * anyone can write anything there. An address routes while its connection has it as its BCC address
 * and is not DISCONNECTED: disconnecting retires the address, while a connection waiting for
 * re-authentication or failed on the Microsoft side still takes BCC mail, which needs no mailbox access.
 *
 * <p>Forwards: the user may BCC their own mail to a prospect, or forward a prospect's mail to the
 * address. A mail without a prospect of the account among its participants that forwards another
 * mail as its attachment is delivered as that original (and so on down a forward of a forward), so
 * the CRM files the prospect's mail and not the user's note around it.
 */
public final class BccIngest {
    private static final Logger LOG = Logger.getLogger(BccIngest.class.getName());

    private final byte[] gatewaySecretDigest;
    private final long maxMailBytes;
    private final BccAddresses addresses;
    private final MailboxConnections connections;
    private final BccMailParser parser;
    private final MailDelivery delivery;
    private final Metrics metrics;
    private final Clock clock;

    public BccIngest(Settings.Bcc settings, BccAddresses addresses, MailboxConnections connections, BccMailParser parser,
            MailDelivery delivery, Metrics metrics, Clock clock) {
        this.gatewaySecretDigest = Sha256.of(settings.gatewaySecret());
        this.maxMailBytes = settings.maxMailBytes();
        this.addresses = addresses;
        this.connections = connections;
        this.parser = parser;
        this.delivery = delivery;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Looks at the secret and the declared size before the mail itself: a refusal on the headers reads no body. */
    public BccOutcome receive(BccSubmission submission) {
        if (!isAuthentic(submission.gatewaySecret())) {
            return new BccOutcome.Unauthenticated();
        }
        if (submission.declaredLength().orElse(0) > maxMailBytes) {
            return new BccOutcome.TooLarge(maxMailBytes);
        }
        if (!submission.contentType().map(BccIngest::isRfc822).orElse(false)) {
            return new BccOutcome.NotRfc822();
        }
        byte[] mail = submission.mail().get();
        if (mail.length > maxMailBytes) {
            return new BccOutcome.TooLarge(maxMailBytes);
        }
        try {
            requireContent(mail);
            return route(submission.envelopeRecipient(), mail);
        } catch (BccMalformedMailException e) {
            LOG.info(() -> "Refused a BCC mail that cannot be read: " + e.getMessage());
            return new BccOutcome.Malformed(e.getMessage());
        }
    }

    /** An empty upload is refused like any other unusable mail, before routing, so it is 422 whoever it was for. */
    private static void requireContent(byte[] mail) throws BccMalformedMailException {
        if (mail.length == 0) {
            throw new BccMalformedMailException("the mail is empty: the request body has no bytes");
        }
        for (byte b : mail) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return;
            }
        }
        throw new BccMalformedMailException("the mail is empty: the request body is only whitespace");
    }

    /** With an envelope recipient, an unknown address is refused before the mail is even read. */
    private BccOutcome route(Optional<String> envelopeRecipient, byte[] raw) throws BccMalformedMailException {
        Optional<BccMail> read = Optional.empty();
        List<String> recipients;
        if (envelopeRecipient.isPresent()) {
            recipients = List.of(envelopeRecipient.get());
        } else {
            read = Optional.of(parser.parse(raw, clock.instant()));
            recipients = read.get().deliveryAddresses();
            if (recipients.isEmpty()) {
                LOG.info("Refused a BCC mail with neither an envelope recipient nor a Delivered-To or X-Original-To header");
                return new BccOutcome.NoRecipient();
            }
        }
        Optional<MailboxConnection> connection = recipients.stream().map(this::connectionWithAddress).flatMap(Optional::stream)
                .findFirst();
        if (connection.isEmpty()) {
            // The address itself stays out of the log: it is what lets anyone add mail to the CRM.
            LOG.info("Refused a BCC mail for an address that is no connection's BCC address");
            return new BccOutcome.UnknownAddress();
        }
        BccMail mail = read.isPresent() ? read.get() : parser.parse(raw, clock.instant());
        MailboxConnection owner = connection.get();
        InvocationLog.mailbox(owner.accountId(), owner.logName());
        MailDelivery.Outcome outcome;
        try {
            outcome = delivery.deliver(owner, mailToDeliver(owner, mail).item());
        } catch (DeliveryInProgressException e) {
            return new BccOutcome.TryLater(e.retryAfter());
        }
        LOG.info(() -> "BCC mail for " + owner.accountId() + "/" + owner.userId() + ": " + outcome);
        metrics.mailsDelivered(Metrics.Source.BCC, outcome == MailDelivery.Outcome.DELIVERED ? 1 : 0);
        return new BccOutcome.Accepted(outcome);
    }

    private BccMail mailToDeliver(MailboxConnection owner, BccMail mail) {
        BccMail candidate = mail;
        while (candidate.forwardedOriginal().isPresent() && delivery.prospectsIn(owner, candidate.item()).isEmpty()) {
            candidate = candidate.forwardedOriginal().get();
        }
        return candidate;
    }

    private Optional<MailboxConnection> connectionWithAddress(String recipient) {
        String address = withoutAngleBrackets(recipient);
        return addresses.ownerOf(address)
                .flatMap(owner -> connections.find(owner.accountId(), owner.userId()))
                .map(Stored::value)
                .filter(connection -> connection.state() != ConnectionState.DISCONNECTED)
                .filter(connection -> address.equalsIgnoreCase(connection.bccAddress()));
    }

    /** SMTP writes envelope addresses in angle brackets (RCPT TO:&lt;a@b&gt;); gateways pass them on either way. */
    private static String withoutAngleBrackets(String recipient) {
        String address = recipient.strip();
        return address.startsWith("<") && address.endsWith(">") ? address.substring(1, address.length() - 1).strip() : address;
    }

    private static boolean isRfc822(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT)
                .equals("message/rfc822");
    }

    /** Compares digests, so neither the secret's bytes nor its length shows in how long a refusal takes. */
    private boolean isAuthentic(Optional<String> presented) {
        return presented.isPresent() && MessageDigest.isEqual(gatewaySecretDigest, Sha256.of(presented.get()));
    }
}
