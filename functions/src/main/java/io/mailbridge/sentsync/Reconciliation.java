package io.mailbridge.sentsync;

import java.time.Instant;

/**
 * Where the Sent-folder reconciliation of one connection stands: the lease that keeps two jobs for the
 * mailbox apart, and what the status API shows of the last job that ran (when it ended, the mails it
 * delivered from Sent Items, the copies it wrote into them, its error) and the copies written so far.
 */
public record Reconciliation(
        String accountId,
        String userId,
        Instant leaseUntil,
        Instant lastRunAt,
        int sentItemsDelivered,
        int copiesWritten,
        long copiesWrittenTotal,
        String lastError) {

    static Reconciliation none(String accountId, String userId) {
        return new Reconciliation(accountId, userId, null, null, 0, 0, 0, null);
    }

    boolean isLeasedAt(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    Reconciliation leased(Instant until) {
        return new Reconciliation(accountId, userId, until, lastRunAt, sentItemsDelivered, copiesWritten, copiesWrittenTotal, lastError);
    }

    /** The job that took the lease until {@code leasedUntil} ended; the lease is freed only if it is still that job's. */
    Reconciliation ran(Instant leasedUntil, Instant at, int delivered, int written, String error) {
        Instant lease = leasedUntil.equals(leaseUntil) ? null : leaseUntil;
        return new Reconciliation(accountId, userId, lease, at, delivered, written, copiesWrittenTotal + written, error);
    }
}
