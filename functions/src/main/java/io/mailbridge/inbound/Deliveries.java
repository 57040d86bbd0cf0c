package io.mailbridge.inbound;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Which mails each CRM user has already been given: the duplicate filter behind "exactly once".
 * Keyed by the mail's identity (its Message-ID), so notifications twice over, created + updated
 * pairs, replays after a resync and the same mail BCC'd again all find the same row.
 *
 * <p>A delivery is claimed before it is published and confirmed after: the claim is a conditional
 * insert, so of callers racing with one mail exactly one wins. A claim whose holder died before
 * confirming can be taken over once its lease has run out, so the mail is not lost either.
 */
public final class Deliveries {
    private static final String STATE = "State";
    private static final String CLAIMED = "CLAIMED";
    private static final String DELIVERED = "DELIVERED";
    private static final String CLAIMED_UNTIL = "ClaimedUntil";
    private static final String ETAG_PROPERTY = "odata.etag";

    private final Supplier<TableClient> table;

    public Deliveries(StorageClients storage) {
        this(storage, StorageNames.DELIVERIES_TABLE);
    }

    public Deliveries(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    /** The answer to a claim. */
    public sealed interface Claim {
        /** This caller delivers: publish, then {@link #confirm}. */
        record Won() implements Claim {}

        record AlreadyDelivered() implements Claim {}

        /** Another caller is delivering it right now; its claim lapses at {@code until}. */
        record HeldUntil(Instant until) implements Claim {}
    }

    /** True once a delivery is confirmed; a claim alone is not a delivery. */
    public boolean wasDelivered(String accountId, String userId, String mailKey) {
        try {
            return !CLAIMED.equals(Properties.string(table.get().getEntity(partition(accountId, userId), mailKey), STATE));
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                return false;
            }
            throw e;
        }
    }

    public Claim claim(String accountId, String userId, String mailKey, String eventId, Instant now, Duration lease) {
        TableEntity claim = new TableEntity(partition(accountId, userId), mailKey).addProperty(STATE, CLAIMED).addProperty("EventId", eventId);
        Properties.instant(claim, CLAIMED_UNTIL, now.plus(lease));
        try {
            table.get().createEntity(claim);
            return new Claim.Won();
        } catch (TableServiceException e) {
            if (status(e) != 409) {
                throw e;
            }
        }
        TableEntity existing;
        try {
            existing = table.get().getEntity(claim.getPartitionKey(), mailKey);
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                // The holder gave its claim back between our insert and this read: the next attempt may win.
                return new Claim.HeldUntil(now);
            }
            throw e;
        }
        // Rows written before claims existed have no State: they are deliveries.
        if (!CLAIMED.equals(Properties.string(existing, STATE))) {
            return new Claim.AlreadyDelivered();
        }
        Instant until = Properties.instant(existing, CLAIMED_UNTIL);
        if (until.isAfter(now)) {
            return new Claim.HeldUntil(until);
        }
        try {
            table.get().updateEntityWithResponse(claim.addProperty(ETAG_PROPERTY, existing.getETag()), TableEntityUpdateMode.REPLACE, true,
                    null, null);
            return new Claim.Won();
        } catch (TableServiceException e) {
            if (status(e) == 412 || status(e) == 404) {
                return new Claim.HeldUntil(now);
            }
            throw e;
        }
    }

    public void confirm(String accountId, String userId, String mailKey, String eventId, Instant at) {
        TableEntity entity = new TableEntity(partition(accountId, userId), mailKey).addProperty(STATE, DELIVERED).addProperty("EventId", eventId);
        Properties.instant(entity, "DeliveredAt", at);
        table.get().upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
    }

    /** Gives a claim back when publishing failed, so a retry need not wait for the lease. */
    public void release(String accountId, String userId, String mailKey) {
        table.get().deleteEntity(partition(accountId, userId), mailKey);
    }

    private static String partition(String accountId, String userId) {
        return TableKeys.escape(accountId) + "|" + TableKeys.escape(userId);
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }
}
