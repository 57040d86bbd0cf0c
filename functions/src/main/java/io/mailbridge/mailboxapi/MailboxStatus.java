package io.mailbridge.mailboxapi;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.inbound.SyncState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.sentsync.Reconciliation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A connection as the CRM sees it through the mailbox API: the connection as stored (its fields at the top
 * level of the JSON), with how its sync stands: per folder the delta sync's last complete run, mails
 * delivered and last error, and the Sent-folder reconciliation's last job (null until one has run).
 */
public record MailboxStatus(
        @JsonUnwrapped MailboxConnection connection,
        List<Subscription> subscriptions,
        List<FolderSync> folders,
        SentReconciliation sentReconciliation) {

    /** A folder the product is notified about, and until when. */
    public record Subscription(String folder, Instant expiresAt) {}

    /** A folder's delta sync: its last complete run, the mails it delivered in all, and the error it last stopped on. */
    public record FolderSync(String folder, Instant lastSyncAt, long mailsDelivered, String lastError) {}

    /**
     * The last Sent-folder reconciliation job: when it ended, the mails it delivered from Sent Items and the copies of
     * relay-sent CRM mail it wrote into them, the copies written in all, and its error (null when it ended well).
     */
    public record SentReconciliation(Instant lastRunAt, int sentItemsDelivered, int copiesWritten, long copiesWrittenTotal,
            String lastError) {}

    static MailboxStatus of(MailboxConnection connection, List<MailSubscription> subscriptions, List<SyncState> folders,
            Optional<Reconciliation> reconciliation) {
        return new MailboxStatus(connection,
                subscriptions.stream().map(s -> new Subscription(s.folder(), s.expiresAt())).toList(),
                folders.stream().map(f -> new FolderSync(f.folder(), f.lastSyncAt(), f.mailsDelivered(), f.lastError())).toList(),
                reconciliation.map(r -> new SentReconciliation(r.lastRunAt(), r.sentItemsDelivered(), r.copiesWritten(),
                        r.copiesWrittenTotal(), r.lastError())).orElse(null));
    }
}
