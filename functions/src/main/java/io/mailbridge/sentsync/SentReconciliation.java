package io.mailbridge.sentsync;

import io.mailbridge.inbound.FolderSync;
import io.mailbridge.mailbox.ConnectionJob;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The Sent-folder reconciliation. A timer fans out one queue job per connection that has Sent Items
 * work, so mailboxes are reconciled in parallel across instances and a slow one holds up no other;
 * each job holds the mailbox's lease ({@link Reconciliations}), so a job still running is never run
 * twice. A job does, for its connection:
 * <ol>
 * <li>FULL (2-way and 1-way): writes the CRM's mail that left by the custom SMTP relay into Sent Items
 *     ({@link SentItemsWriteBack}); RESTRICTED never writes into the mailbox.</li>
 * <li>2-way (both profiles): one delta run over Sent Items ({@link FolderSync}, with its own lease, its
 *     410 resync from a bounded window, prospect matching and de-duplication), delivering
 *     {@code email.sent}, or {@code email.sent_by_crm} for the CRM's own mail; 1-way mailboxes send
 *     nothing to the CRM on their own.</li>
 * </ol>
 * The write-back goes first, so the copies it writes reach the CRM in the same job. A mailbox with no
 * change costs one Graph request: the delta call on the stored deltaLink.
 *
 * <p>Throttling and outages never fail a job into the poison queue: the job is queued again, visible
 * after Retry-After. Each job's end (time, counts, error) is kept for the status API.
 */
public final class SentReconciliation {
    private static final Logger LOG = Logger.getLogger(SentReconciliation.class.getName());
    private static final String SENT_ITEMS = "sentitems";

    /** How one job ended. */
    public sealed interface Outcome {
        /** Done for now; {@code continues}: a follow-up job was queued for the rest of the write-backs. */
        record Reconciled(int sentItemsDelivered, int copiesWritten, boolean continues) implements Outcome {}

        /** Another job holds the mailbox; it, or the next timer's job, covers what this one would have done. */
        record Busy() implements Outcome {}

        /** The connection has nothing to reconcile (gone, not active, RESTRICTED 1-way). */
        record NothingToDo() implements Outcome {}

        /** Microsoft asked to wait (or did not answer): the job was queued again, visible after {@code after}. */
        record Rescheduled(Duration after, String reason) implements Outcome {}

        /** The mailbox needs someone to act (reconnect, licence) before it can be reconciled. */
        record Stopped(String reason) implements Outcome {}
    }

    private final MailboxConnections connections;
    private final Reconciliations reconciliations;
    private final SentItemsWriteBack writeBack;
    private final FolderSync folderSync;
    private final QueueProducer queue;
    private final QueueFanOut fanOut;
    private final Clock clock;

    public SentReconciliation(MailboxConnections connections, Reconciliations reconciliations, SentItemsWriteBack writeBack,
            FolderSync folderSync, QueueProducer queue, Clock clock) {
        this.connections = connections;
        this.reconciliations = reconciliations;
        this.writeBack = writeBack;
        this.folderSync = folderSync;
        this.queue = queue;
        this.fanOut = new QueueFanOut(queue);
        this.clock = clock;
    }

    /** The timer's part: one job per connection with Sent Items work, a page of connections at a time. Returns how many were queued. */
    public int fanOut() {
        return fanOut.run(connections::forEachPage, connection -> hasSentItemsWork(connection)
                ? Optional.of(new QueueFanOut.Job(StorageNames.SENT_RECONCILIATION_QUEUE, ConnectionJob.of(connection).toJson()))
                : Optional.empty());
    }

    /** Runs the job a queue message names. */
    public Outcome reconcile(String queueMessage) {
        ConnectionJob job = ConnectionJob.parse(queueMessage, StorageNames.SENT_RECONCILIATION_QUEUE);
        Optional<MailboxConnection> found = connections.find(job.accountId(), job.userId()).map(Stored::value)
                .filter(SentReconciliation::hasSentItemsWork);
        if (found.isEmpty()) {
            return new Outcome.NothingToDo();
        }
        MailboxConnection connection = found.get();
        Optional<Reconciliation> lease = reconciliations.lease(job.accountId(), job.userId(), clock.instant());
        if (lease.isEmpty()) {
            return new Outcome.Busy();
        }
        JobEnd end;
        try {
            end = reconcile(connection);
        } catch (RuntimeException e) {
            // Free the mailbox for the host's retry of this message; the error is the host's to log.
            reconciliations.ran(lease.get(), clock.instant(), 0, 0, "The job failed unexpectedly: " + e.getClass().getSimpleName());
            throw e;
        }
        reconciliations.ran(lease.get(), clock.instant(), end.delivered(), end.copies(), end.error());
        switch (end.outcome()) {
            case Outcome.Rescheduled(Duration after, String reason) -> {
                LOG.info(() -> "Reconciliation of " + job.accountId() + "/" + job.userId() + " paused for " + after.toSeconds()
                        + " s: " + reason);
                enqueue(job, after);
            }
            case Outcome.Reconciled reconciled when reconciled.continues() -> enqueue(job, Duration.ZERO);
            case Outcome.Reconciled reconciled -> { }
            case Outcome.Busy busy -> { }
            case Outcome.NothingToDo nothing -> { }
            case Outcome.Stopped stopped -> { }
        }
        return end.outcome();
    }

    /** What one job did, for the status API, and how it ended. */
    private record JobEnd(int delivered, int copies, String error, Outcome outcome) {
        static JobEnd interrupted(int copies, Outcome outcome, String reason) {
            return new JobEnd(0, copies, reason, outcome);
        }
    }

    private JobEnd reconcile(MailboxConnection connection) {
        int copies = 0;
        boolean continues = false;
        String refusal = null;
        if (connection.profile() == Profile.FULL) {
            switch (writeBack.writeBack(connection)) {
                case SentItemsWriteBack.Result.TryLater(int written, Duration after, String reason) -> {
                    return JobEnd.interrupted(written, new Outcome.Rescheduled(after, reason), reason);
                }
                case SentItemsWriteBack.Result.Stopped(int written, String reason) -> {
                    return JobEnd.interrupted(written, new Outcome.Stopped(reason), reason);
                }
                case SentItemsWriteBack.Result.Written(int written, boolean more, String lastRefusal) -> {
                    copies = written;
                    continues = more;
                    refusal = lastRefusal;
                }
            }
        }
        int delivered = 0;
        if (connection.mode() == SyncMode.TWO_WAY) {
            switch (folderSync.sync(connection, SENT_ITEMS)) {
                case FolderSync.Result.TryLater(Duration after, String reason) -> {
                    return JobEnd.interrupted(copies, new Outcome.Rescheduled(after, reason), reason);
                }
                case FolderSync.Result.Stopped(String reason) -> {
                    return JobEnd.interrupted(copies, new Outcome.Stopped(reason), reason);
                }
                case FolderSync.Result.Synced(int seen, int mailsDelivered, var settled) -> delivered = mailsDelivered;
                // A notification's run holds Sent Items right now and delivers the same changes.
                case FolderSync.Result.Busy busy -> { }
            }
        }
        return new JobEnd(delivered, copies, refusal, new Outcome.Reconciled(delivered, copies, continues));
    }

    /** Who has Sent Items work: active 2-way connections (mailbox to CRM) and active FULL ones (CRM mail into Sent Items). */
    static boolean hasSentItemsWork(MailboxConnection connection) {
        return connection.state() == ConnectionState.ACTIVE && (connection.mode() == SyncMode.TWO_WAY || connection.profile() == Profile.FULL);
    }

    private void enqueue(ConnectionJob job, Duration delay) {
        queue.send(StorageNames.SENT_RECONCILIATION_QUEUE, job.toJson(), delay);
    }
}
