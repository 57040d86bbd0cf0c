package io.mailbridge.graph;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.storage.Tally;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stored subscriptions: one partition per Graph subscription id (the webhook reads it to check
 * a notification and find every connection it concerns), one row per connection using it; each
 * connection now makes its own, but records from when connections shared one still hold two rows.
 */
public final class Subscriptions {
    /** Subscriptions whose look-ups stay in memory: one per connection and folder, enough for a stamp's busy ones. */
    static final int CACHED_SUBSCRIPTIONS = 10_000;
    /**
     * How long a look-up is trusted. Deletes and renewals on this instance invalidate it at once; this bounds how long
     * another instance may still accept notifications of a subscription deleted elsewhere (the queue consumer then
     * finds the connection gone and does nothing).
     */
    static final long CACHE_NANOS = 60_000_000_000L;

    private final Supplier<TableClient> client;
    private final EntityTable<MailSubscription> table;
    /** The webhook's look-ups by id, least recently used first; only found subscriptions, as a new one must be seen at once. */
    private final Map<String, Cached> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED_SUBSCRIPTIONS;
        }
    };

    /** Counts writes, so a look-up that raced a write does not cache what it read before it. */
    private long writes;

    private record Cached(List<MailSubscription> records, long until) {}

    public Subscriptions(StorageClients storage) {
        this(storage, StorageNames.SUBSCRIPTIONS_TABLE);
    }

    public Subscriptions(StorageClients storage, String tableName) {
        this.client = storage.table(tableName);
        this.table = new EntityTable<>(client, new Mapper());
    }

    /**
     * Every connection's record of the subscription; empty for an id this stamp does not know. Answers from memory
     * when the same id was found in the last minute: a storm of notifications costs one table query, not one each.
     */
    public List<MailSubscription> find(String subscriptionId) {
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > 128) {
            return List.of();
        }
        long now = System.nanoTime();
        long writesBefore;
        synchronized (recent) {
            Cached cached = recent.get(subscriptionId);
            if (cached != null && now - cached.until() < 0) {
                return cached.records();
            }
            writesBefore = writes;
        }
        List<MailSubscription> found = List.copyOf(table.query(
                new ListEntitiesOptions().setFilter("PartitionKey eq " + EntityTable.literal(TableKeys.escape(subscriptionId)))));
        synchronized (recent) {
            if (found.isEmpty() || writes != writesBefore) {
                recent.remove(subscriptionId);
            } else {
                recent.put(subscriptionId, new Cached(found, now + CACHE_NANOS));
            }
        }
        return found;
    }

    public void save(MailSubscription subscription) {
        table.upsert(subscription);
        forget(subscription.id());
    }

    /** Forgets one connection's use of the subscription. */
    public void delete(MailSubscription subscription) {
        table.delete(TableKeys.escape(subscription.id()), rowKey(subscription.accountId(), subscription.userId()));
        forget(subscription.id());
    }

    private void forget(String subscriptionId) {
        synchronized (recent) {
            writes++;
            recent.remove(subscriptionId);
        }
    }

    /** A connection's subscriptions; a scan, which only rare operations (mode change, disconnect, renewal) need. */
    public List<MailSubscription> of(String accountId, String userId) {
        return table.query(new ListEntitiesOptions().setFilter("AccountId eq " + EntityTable.literal(accountId)
                + " and UserId eq " + EntityTable.literal(userId)));
    }

    /** Every connection's subscriptions on one mailbox: what reconciling the mailbox with Graph compares. */
    public List<MailSubscription> onMailbox(String mailbox) {
        return table.query(new ListEntitiesOptions().setFilter("Mailbox eq " + EntityTable.literal(mailbox)));
    }

    /**
     * How many records' subscriptions expire before {@code before} (already expired ones included), and the soonest.
     * Reads only their ExpiresAt, page by page: one table transaction per 1,000 such records (renewal keeps them
     * few), constant memory; the filter on a property that is not a key scans the table on the service's side.
     */
    public Tally expiringBefore(Instant before) {
        return Tally.of(client.get().listEntities(new ListEntitiesOptions()
                .setFilter("ExpiresAt lt datetime'" + before.truncatedTo(ChronoUnit.MILLIS) + "'")
                .setSelect(List.of("ExpiresAt")), null, null), "ExpiresAt");
    }

    /** Every record: the renewal timer walks them. */
    public List<MailSubscription> all() {
        return table.query(new ListEntitiesOptions());
    }

    private static String rowKey(String accountId, String userId) {
        return TableKeys.escape(accountId) + "|" + TableKeys.escape(userId);
    }

    private static final class Mapper implements EntityMapper<MailSubscription> {
        @Override
        public String partitionKey(MailSubscription s) {
            return TableKeys.escape(s.id());
        }

        @Override
        public String rowKey(MailSubscription s) {
            return Subscriptions.rowKey(s.accountId(), s.userId());
        }

        @Override
        public void writeProperties(MailSubscription s, TableEntity e) {
            e.addProperty("AccountId", s.accountId());
            e.addProperty("UserId", s.userId());
            e.addProperty("Mailbox", s.mailbox());
            e.addProperty("Folder", s.folder());
            e.addProperty("ClientStateHash", s.clientStateHash());
            Properties.instant(e, "ExpiresAt", s.expiresAt());
        }

        @Override
        public MailSubscription read(TableEntity e) {
            return new MailSubscription(TableKeys.unescape(e.getPartitionKey()), Properties.string(e, "AccountId"),
                    Properties.string(e, "UserId"), Properties.string(e, "Mailbox"), Properties.string(e, "Folder"),
                    Properties.string(e, "ClientStateHash"), Properties.instant(e, "ExpiresAt"));
        }
    }
}
