package io.mailbridge.inbound;

import java.time.Instant;

/**
 * Where the delta sync of one folder of one connection stands: the link to continue from (a
 * nextLink mid-way, or the deltaLink of the last complete run), the lease that keeps two runs
 * apart, and what the status API shows (last sync, counts, last error).
 */
public record SyncState(
        String accountId,
        String userId,
        String folder,
        String link,
        Instant leaseUntil,
        Instant lastSyncAt,
        long mailsDelivered,
        String lastError) {

    public static SyncState fresh(String accountId, String userId, String folder) {
        return new SyncState(accountId, userId, folder, null, null, null, 0, null);
    }

    public boolean isLeasedAt(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    SyncState leased(Instant until) {
        return new SyncState(accountId, userId, folder, link, until, lastSyncAt, mailsDelivered, lastError);
    }

    SyncState progressed(String nextLink, long delivered) {
        return new SyncState(accountId, userId, folder, nextLink, leaseUntil, lastSyncAt, mailsDelivered + delivered, lastError);
    }

    SyncState completed(String deltaLink, long delivered, Instant at) {
        return new SyncState(accountId, userId, folder, deltaLink, null, at, mailsDelivered + delivered, null);
    }

    SyncState released(long delivered, String error) {
        return new SyncState(accountId, userId, folder, link, null, lastSyncAt, mailsDelivered + delivered, error);
    }

    SyncState restarted() {
        return new SyncState(accountId, userId, folder, null, leaseUntil, lastSyncAt, mailsDelivered, lastError);
    }
}
