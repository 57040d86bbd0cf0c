package io.mailbridge.sentsync;

import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.GraphSender;
import io.mailbridge.outbound.MailJson;
import io.mailbridge.outbound.Outbox;
import io.mailbridge.outbound.OutboxRecord;
import io.mailbridge.outbound.OutgoingMail;
import io.mailbridge.outbound.WriteBack;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Copies CRM mail that left through the custom SMTP relay into the mailbox's Sent Items, each exactly
 * once, from the outbox rows marked for it and the content kept in their payload blobs.
 *
 * <p>Exactly once: a row goes PENDING → WRITING (written conditionally on the version read, so of two
 * jobs only one takes it) before the copy is created, and WRITING → DONE after; the copy carries the
 * send's mark ({@link GraphSender#SEND_ID_PROPERTY}). A row found WRITING was left by a job that died
 * or failed between the two writes, so its copy may exist: the mailbox is searched for the mark first,
 * and the row is closed without writing again if the copy is there. Jobs of one mailbox never overlap
 * ({@link Reconciliations} lease, longer than any job can run), so no two writers search and create at
 * once. The payload blob is deleted once the row is DONE.
 *
 * <p>Cost: nothing is asked of Graph when no row is open (a query of the account's outbox partition
 * decides); then one create per copy (mail over the create request's limit: also its attachment uploads
 * and the mark's update), plus, for a row a failed job left WRITING, a search for its copy and, when there
 * is none, one for an unfinished copy to discard.
 */
public final class SentItemsWriteBack {
    private static final Logger LOG = Logger.getLogger(SentItemsWriteBack.class.getName());
    /** Copies per job: a job stays far inside its lease; the rest continue in a job queued at once. */
    static final int COPIES_PER_JOB = 100;
    static final Duration PAUSE_WITHOUT_RETRY_AFTER = Duration.ofSeconds(30);

    /** How a job's write-back ended. {@code copies}: the copies it wrote into Sent Items. */
    public sealed interface Result {
        int copies();

        /** Every open row it took is closed; {@code more}: rows beyond this job's share are left for the next job. */
        record Written(int copies, boolean more, String lastRefusal) implements Result {}

        /** Microsoft asked to wait (or did not answer); the rest continues after {@code after}. */
        record TryLater(int copies, Duration after, String reason) implements Result {}

        /** The mailbox cannot be written until someone acts (reconnect, licence). */
        record Stopped(int copies, String reason) implements Result {}
    }

    /** What became of one row. */
    private enum Copy { WRITTEN, ALREADY_THERE, REFUSED, TAKEN_BY_ANOTHER }

    /** Whom a Microsoft failure concerns: the one mail (its copy is given up), or the whole job, now or until someone acts. */
    private enum Scope { THE_MAIL, LATER, THE_MAILBOX }

    private final Outbox outbox;
    private final Payloads payloads;
    private final GraphSender mailbox;
    private final Clock clock;

    public SentItemsWriteBack(Outbox outbox, Payloads payloads, GraphSender mailbox, Clock clock) {
        this.outbox = outbox;
        this.payloads = payloads;
        this.mailbox = mailbox;
        this.clock = clock;
    }

    /** Writes this job's share of the connection's open rows into its Sent Items. */
    public Result writeBack(MailboxConnection connection) {
        List<Stored<OutboxRecord>> open = outbox.writeBacksOf(connection.accountId(), connection.userId(), COPIES_PER_JOB + 1);
        if (open.isEmpty()) {
            return new Result.Written(0, false, null);
        }
        boolean more = open.size() > COPIES_PER_JOB;
        int copies = 0;
        String lastRefusal = null;
        try {
            GraphSender.Session session = mailbox.open(connection);
            for (Stored<OutboxRecord> row : open.subList(0, Math.min(open.size(), COPIES_PER_JOB))) {
                try {
                    if (copy(session, row) == Copy.WRITTEN) {
                        copies++;
                    }
                } catch (MicrosoftException e) {
                    if (scopeOf(e.failure()) != Scope.THE_MAIL) {
                        throw e;
                    }
                    lastRefusal = refused(row.value(), e.getMessage());
                }
            }
        } catch (MicrosoftException e) {
            // The rows not yet copied stay open: they are tried again once Microsoft answers, or the mailbox is fixed.
            return scopeOf(e.failure()) == Scope.LATER
                    ? new Result.TryLater(copies, e.failure().retryAfter().orElse(PAUSE_WITHOUT_RETRY_AFTER), e.getMessage())
                    : new Result.Stopped(copies, e.getMessage());
        }
        return new Result.Written(copies, more, lastRefusal);
    }

    private static Scope scopeOf(MicrosoftFailure failure) {
        return switch (failure) {
            case MicrosoftFailure.Refused refused -> Scope.THE_MAIL;
            case MicrosoftFailure.NotFound notFound -> Scope.THE_MAIL;
            case MicrosoftFailure.ResyncRequired resync -> Scope.THE_MAIL;
            case MicrosoftFailure.Throttled throttled -> Scope.LATER;
            case MicrosoftFailure.Transient failed -> Scope.LATER;
            case MicrosoftFailure.QuotaSpent spent -> Scope.LATER;
            case MicrosoftFailure.Reauthenticate reauthenticate -> Scope.THE_MAILBOX;
            case MicrosoftFailure.MailboxUnusable unusable -> Scope.THE_MAILBOX;
            case MicrosoftFailure.AccessDenied denied -> Scope.THE_MAILBOX;
        };
    }

    /**
     * Whose open write-backs will never be written: a DISCONNECTED connection's (it has no tokens) and a RESTRICTED one's
     * (mail never goes into its Sent Items). Their payload blobs would otherwise stay for ever.
     */
    public static boolean neverWritesBack(MailboxConnection connection) {
        return connection.state() == ConnectionState.DISCONNECTED || connection.profile() == Profile.RESTRICTED;
    }

    /**
     * Gives up the connection's open write-backs and deletes their content; returns how many. Each row is closed
     * first, conditionally on the version read, so a job that took the row meanwhile (the mailbox was reconnected
     * FULL) keeps it and its content; the content goes only once its row can no longer reach for it.
     */
    public int abandon(MailboxConnection connection) {
        int abandoned = 0;
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (Stored<OutboxRecord> row : outbox.writeBacksOf(connection.accountId(), connection.userId(), COPIES_PER_JOB)) {
                if (outbox.abandonWriteBack(row, clock.instant())) {
                    payloads.delete(row.value().message().payload());
                    abandoned++;
                    progressed = true;
                }
            }
        }
        return abandoned;
    }

    private Copy copy(GraphSender.Session session, Stored<OutboxRecord> row) {
        OutboxRecord record = row.value();
        if (record.reporting().writeBack() == WriteBack.PENDING) {
            if (!outbox.startWriteBack(row, clock.instant())) {
                return Copy.TAKEN_BY_ANOTHER;
            }
        } else {
            // WRITING: an earlier job began this copy and did not record the end; it may be in the mailbox.
            Optional<GraphSender.MailboxCopy> found = session.findCopy(record.sendId()).filter(copy -> !copy.draft());
            if (found.isPresent()) {
                LOG.info(() -> "Send " + record.sendId() + " was already in Sent Items: an earlier job wrote it");
                close(record, WriteBack.DONE);
                return Copy.ALREADY_THERE;
            }
            session.discardUnfinishedCopy(record.sendId());
        }
        Optional<OutgoingMail> mail = payloads.get(record.message().payload()).map(MailJson::mail);
        if (mail.isEmpty()) {
            refused(record, "the mail's content is gone from storage");
            return Copy.REFUSED;
        }
        session.saveSentCopy(record, mail.get());
        close(record, WriteBack.DONE);
        return Copy.WRITTEN;
    }

    private String refused(OutboxRecord record, String reason) {
        String said = "Send " + record.sendId() + " could not be copied into Sent Items: " + reason;
        LOG.warning(said);
        close(record, WriteBack.FAILED);
        return said;
    }

    /** Records the end of the row's write-back; its content is no longer needed either way. */
    private void close(OutboxRecord record, WriteBack outcome) {
        outbox.finishWriteBack(record.accountId(), record.sendId(), outcome, clock.instant());
        payloads.delete(record.message().payload());
    }
}
