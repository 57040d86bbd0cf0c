package io.mailbridge.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.config.Settings;
import io.mailbridge.graph.MailboxTokens;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.storage.EntityAlreadyExistsException;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The CRM's side of sending: a send request becomes an outbox record (QUEUED) and a queue message;
 * the same idempotency key again returns the first request's send, never a second one; and the
 * status of a send and of a mailbox's sending can be read.
 */
public final class SendRequests {

    /** What became of a send request. */
    public sealed interface Outcome {
        /** Queued now. */
        record Accepted(SendStatus send) implements Outcome {}

        /** The key was seen before, with the same mail: this is the first request's send. */
        record Repeated(SendStatus send) implements Outcome {}

        /** The key was seen before with a different mail. */
        record KeyReused(String sendId) implements Outcome {}

        record NoMailbox() implements Outcome {}

        /** The mailbox cannot send until someone acts (reconnect). */
        record MailboxNotActive(ConnectionState state) implements Outcome {}
    }

    private final MailboxConnections connections;
    private final Outbox outbox;
    private final MailboxQuotas quotas;
    private final MailboxTokens tokens;
    private final Payloads payloads;
    private final QueueProducer queue;
    private final Settings.SendingLimits limits;
    private final Clock clock;

    public SendRequests(MailboxConnections connections, Outbox outbox, MailboxQuotas quotas, MailboxTokens tokens, Payloads payloads,
            QueueProducer queue, Settings.SendingLimits limits, Clock clock) {
        this.connections = connections;
        this.outbox = outbox;
        this.quotas = quotas;
        this.tokens = tokens;
        this.payloads = payloads;
        this.queue = queue;
        this.limits = limits;
        this.clock = clock;
    }

    /** @throws io.mailbridge.http.BadRequestException naming the field the CRM must fix */
    public Outcome request(String accountId, String userId, JsonNode body) {
        Optional<MailboxConnection> connection = connections.find(accountId, userId).map(Stored::value);
        if (connection.isEmpty()) {
            return new Outcome.NoMailbox();
        }
        if (connection.get().state() != ConnectionState.ACTIVE) {
            return new Outcome.MailboxNotActive(connection.get().state());
        }
        SendRequestBody.SendRequest request = SendRequestBody.parse(body, connection.get());
        String sendId = SendIds.sendId(accountId, userId, request.idempotencyKey());
        String fingerprint = SendIds.fingerprint(request.mail());
        Optional<Outcome> earlier = earlier(accountId, sendId, fingerprint);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        // The payload's name carries the fingerprint: a racing request with other content never overwrites this one's.
        String payload = "outbox/" + sendId + "/" + fingerprint + ".json";
        payloads.put(payload, Json.write(request.mail()));
        OutboxRecord record = OutboxRecord.queued(accountId, userId, sendId, request.idempotencyKey(), fingerprint, payload,
                request.mail().recipientCount(), messageId(sendId, request.mail().from()), clock.instant());
        try {
            outbox.insert(record);
        } catch (EntityAlreadyExistsException e) {
            Outcome raced = earlier(accountId, sendId, fingerprint).orElseThrow();
            switch (raced) {
                // Only other content's payload is this request's alone; the same content's is the winner's too.
                case Outcome.KeyReused reused -> payloads.delete(payload);
                case Outcome.Accepted accepted -> { }
                case Outcome.Repeated repeated -> { }
                case Outcome.NoMailbox none -> { }
                case Outcome.MailboxNotActive inactive -> { }
            }
            return raced;
        }
        queue.send(StorageNames.OUTBOUND_MAIL_QUEUE, SendJob.of(record).toJson());
        return new Outcome.Accepted(SendStatus.of(record));
    }

    /** A send of the connection, by the id its status URL carries. */
    public Optional<SendStatus> status(String accountId, String userId, String sendId) {
        return outbox.find(accountId, sendId).map(Stored::value).filter(r -> r.userId().equals(userId)).map(SendStatus::of);
    }

    /**
     * The connection's mailbox's quota use, shared with every other connection of the mailbox, and whether it falls back
     * to the relay. A connection whose sign-in is gone (nothing can send through it) shows an unused quota.
     */
    public Optional<SendingStatus> sending(String accountId, String userId) {
        return connections.find(accountId, userId).map(Stored::value).map(connection -> {
            Instant now = clock.instant();
            SendingQuota quota = tokens.homeAccountId(accountId, userId).map(quotas::of).orElse(SendingQuota.unused(""));
            boolean relayOnly = connection.profile() == Profile.RESTRICTED;
            boolean fallback = !relayOnly && quota.isExhaustedAt(now);
            return new SendingStatus(accountId, userId, connection.mailboxAddress(), connection.profile(),
                    relayOnly || fallback ? Transport.SMTP : Transport.MAILBOX, SendingStatus.MAILBOX_SCOPE,
                    quota.recipientsInWindow(now), limits.recipientsPerDay(), quota.messagesInLastMinute(now), limits.messagesPerMinute(),
                    fallback ? quota.exhaustedUntil() : null, fallback ? quota.exhaustedBy() : null);
        });
    }

    /**
     * A request whose key was seen before. A send still QUEUED is queued again: the first request may
     * have stored it and died before queueing it; a second queue message for it changes nothing.
     */
    private Optional<Outcome> earlier(String accountId, String sendId, String fingerprint) {
        return outbox.find(accountId, sendId).map(Stored::value).map(record -> {
            if (!record.message().fingerprint().equals(fingerprint)) {
                return new Outcome.KeyReused(sendId);
            }
            if (record.state() == SendState.QUEUED) {
                queue.send(StorageNames.OUTBOUND_MAIL_QUEUE, SendJob.of(record).toJson());
            }
            return new Outcome.Repeated(SendStatus.of(record));
        });
    }

    /** The send's own Message-ID, in the sender's domain, the same on every attempt through either transport. */
    private static String messageId(String sendId, String from) {
        return "<" + sendId + "@" + from.substring(from.lastIndexOf('@') + 1) + ">";
    }
}
