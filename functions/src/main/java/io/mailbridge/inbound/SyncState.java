package io.mailbridge.inbound;

import java.time.Instant;

/**
 * Where the delta sync of one folder of one connection stands: the link to continue from (a
 * nextLink mid-way, or the deltaLink of the last complete run), the lease that keeps two runs
 * apart (its id tells a run its own lease from another's), whether a request came while the folder was leased ({@code pending}: its run goes once more
 * instead of the request waiting in the queue), and what the status API shows (last sync, counts, last error).
 */
public record SyncState(
        String accountId,
        String userId,
        String folder,
        String link,
        Instant leaseUntil,
        String leaseId,
        Instant lastSyncAt,
        long mailsDelivered,
        String lastError,
        boolean pending) {

    public static SyncState fresh(String accountId, String userId, String folder) {
        return new SyncState(accountId, userId, folder, null, null, null, null, 0, null, false);
    }

    public boolean isLeasedAt(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    /** Taken for a run, which covers every request so far. */
    SyncState leased(Instant until, String id) {
        return new SyncState(accountId, userId, folder, link, until, id, lastSyncAt, mailsDelivered, lastError, false);
    }

    SyncState withPending(boolean requested) {
        return new SyncState(accountId, userId, folder, link, leaseUntil, leaseId, lastSyncAt, mailsDelivered, lastError, requested);
    }

    SyncState progressed(String nextLink, long delivered) {
        return new SyncState(accountId, userId, folder, nextLink, leaseUntil, leaseId, lastSyncAt, mailsDelivered + delivered, lastError, pending);
    }

    SyncState completed(String deltaLink, long delivered, Instant at) {
        return new SyncState(accountId, userId, folder, deltaLink, null, null, at, mailsDelivered + delivered, null, false);
    }

    SyncState released(long delivered, String error) {
        return new SyncState(accountId, userId, folder, link, null, null, lastSyncAt, mailsDelivered + delivered, error, pending);
    }

    SyncState restarted() {
        return new SyncState(accountId, userId, folder, null, leaseUntil, leaseId, lastSyncAt, mailsDelivered, lastError, pending);
    }
}
