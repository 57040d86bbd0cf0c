package io.mailbridge.graph;

import com.azure.core.http.rest.PagedResponse;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.storage.Tally;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stored subscriptions: one partition per Graph subscription id (the webhook reads it to check
 * a notification and find every connection it concerns), one row per connection using it; each
 * connection now makes its own, but records from when connections shared one still hold two rows.
 *
 * <p>An index table points at each record twice, from its mailbox's partition and from its connection's, so a
 * renewal job finds a mailbox's subscriptions, and a connection its own, with one partition query and a point
 * read per record instead of a table scan. Pointers are written before the record and deleted after it, so a
 * stored record always has its pointers; a pointer whose record is missing is passed over. Records stored
 * before the index existed get theirs from {@link #backfillIndex}; until it is through, reads scan as before
 * (a dual read).
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
    /** A pointer without its record for this long is left over (a crash between the two writes) and goes. */
    static final Duration LEFT_OVER_AFTER = Duration.ofMinutes(10);
    /** The index's row that says every record stored before the index has its pointers. */
    private static final String BACKFILLED_PARTITION = "backfill";
    private static final String BACKFILLED_ROW = "done";
    /** Where an unfinished backfill stopped: the last partition key it gave pointers. */
    private static final String PROGRESS_ROW = "progress";
    private static final String MAILBOX_POINTERS = "mailbox:";
    private static final String CONNECTION_POINTERS = "connection:";

    private final Supplier<TableClient> client;
    private final Mapper mapper = new Mapper();
    private final EntityTable<MailSubscription> table;
    private final Supplier<TableClient> index;
    /** Set once the index is known to be complete; it never becomes incomplete again. */
    private volatile boolean backfilled;
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
        this(storage, StorageNames.SUBSCRIPTIONS_TABLE, StorageNames.SUBSCRIPTION_INDEX_TABLE);
    }

    public Subscriptions(StorageClients storage, String tableName, String indexTableName) {
        this.client = storage.table(tableName);
        this.table = new EntityTable<>(client, mapper);
        this.index = storage.table(indexTableName);
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
        // Pointers first: a record without them would be taken for an orphan by its mailbox's reconciliation.
        point(subscription);
        table.upsert(subscription);
        forget(subscription.id());
    }

    /** Forgets one connection's use of the subscription. */
    public void delete(MailSubscription subscription) {
        table.delete(TableKeys.escape(subscription.id()), rowKey(subscription.accountId(), subscription.userId()));
        forget(subscription.id());
        index.get().deleteEntity(mailboxPointers(subscription.mailbox()), pointerRow(subscription));
        index.get().deleteEntity(connectionPointers(subscription.accountId(), subscription.userId()), pointerRow(subscription));
    }

    private void forget(String subscriptionId) {
        synchronized (recent) {
            writes++;
            recent.remove(subscriptionId);
        }
    }

    /** A connection's subscriptions, through its pointers. */
    public List<MailSubscription> of(String accountId, String userId) {
        return backfilled() ? pointedAt(connectionPointers(accountId, userId)) : table.query(new ListEntitiesOptions()
                .setFilter("AccountId eq " + EntityTable.literal(accountId) + " and UserId eq " + EntityTable.literal(userId)));
    }

    /** Every connection's subscriptions on one mailbox, through its pointers: what reconciling the mailbox with Graph compares. */
    public List<MailSubscription> onMailbox(String mailbox) {
        return backfilled() ? pointedAt(mailboxPointers(mailbox))
                : table.query(new ListEntitiesOptions().setFilter("Mailbox eq " + EntityTable.literal(mailbox)));
    }

    /**
     * Gives records stored before the index their pointers, a page at a time and several writes at once
     * ({@link QueueFanOut#each}), for about {@code budget}: pages go in key order, and where a run stops (after its
     * last page once past the budget) is kept, so the next run carries on from there. When the walk is through, the
     * index is marked complete and reads stop scanning. Does nothing once done (one read); the renewal timer calls it.
     * Records saved meanwhile write their own pointers; one deleted meanwhile may leave pointers behind, which reads
     * pass over and clear. A run in which a write failed keeps no progress: the next one does its pages again.
     */
    public void backfillIndex(Duration budget) {
        if (backfilled()) {
            return;
        }
        String from = find(index.get(), BACKFILLED_PARTITION, PROGRESS_ROW).map(progress -> Properties.string(progress, "Reached")).orElse("");
        long deadline = System.nanoTime() + budget.toNanos();
        String[] reached = {from};
        boolean[] through = {false};
        QueueFanOut.<MailSubscription>each((pageSize, page) -> {
            ListEntitiesOptions rest = new ListEntitiesOptions().setFilter("PartitionKey ge " + EntityTable.literal(from)).setTop(pageSize);
            for (PagedResponse<TableEntity> rows : client.get().listEntities(rest, null, null).iterableByPage()) {
                page.accept(rows.getValue().stream().map(mapper::read).toList());
                if (!rows.getValue().isEmpty()) {
                    reached[0] = rows.getValue().get(rows.getValue().size() - 1).getPartitionKey();
                }
                if (rows.getContinuationToken() != null && System.nanoTime() - deadline > 0) {
                    return;
                }
            }
            through[0] = true;
        }, subscription -> Optional.of(() -> point(subscription)));
        if (through[0]) {
            index.get().upsertEntity(new TableEntity(BACKFILLED_PARTITION, BACKFILLED_ROW));
            backfilled = true;
        } else {
            index.get().upsertEntity(new TableEntity(BACKFILLED_PARTITION, PROGRESS_ROW).addProperty("Reached", reached[0]));
        }
    }

    private boolean backfilled() {
        if (!backfilled) {
            backfilled = find(index.get(), BACKFILLED_PARTITION, BACKFILLED_ROW).isPresent();
        }
        return backfilled;
    }

    private static Optional<TableEntity> find(TableClient table, String partitionKey, String rowKey) {
        try {
            return Optional.of(table.getEntity(partitionKey, rowKey));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The records one partition of pointers names; a pointer left over from a crash goes once it is old enough. */
    private List<MailSubscription> pointedAt(String partition) {
        List<MailSubscription> found = new ArrayList<>();
        Instant leftOver = Instant.now().minus(LEFT_OVER_AFTER);
        for (TableEntity pointer : index.get().listEntities(new ListEntitiesOptions()
                .setFilter("PartitionKey eq " + EntityTable.literal(partition)), null, null)) {
            Optional<MailSubscription> record = table.find(TableKeys.escape(Properties.string(pointer, "SubscriptionId")),
                    rowKey(Properties.string(pointer, "AccountId"), Properties.string(pointer, "UserId"))).map(Stored::value);
            record.ifPresent(found::add);
            // The service's own timestamp, so the service's clock; conditional, so a pointer written again just now stays.
            if (record.isEmpty() && pointer.getTimestamp() != null && pointer.getTimestamp().toInstant().isBefore(leftOver)) {
                deleteUnlessRewritten(pointer);
            }
        }
        return found;
    }

    private void deleteUnlessRewritten(TableEntity pointer) {
        try {
            index.get().deleteEntityWithResponse(pointer, true, null, null);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 412) {
                throw e;
            }
        }
    }

    /** Writes the record's two pointers: from its mailbox and from its connection. */
    private void point(MailSubscription subscription) {
        for (String partition : List.of(mailboxPointers(subscription.mailbox()),
                connectionPointers(subscription.accountId(), subscription.userId()))) {
            index.get().upsertEntity(new TableEntity(partition, pointerRow(subscription))
                    .addProperty("SubscriptionId", subscription.id())
                    .addProperty("AccountId", subscription.accountId())
                    .addProperty("UserId", subscription.userId()));
        }
    }

    private static String mailboxPointers(String mailbox) {
        return MAILBOX_POINTERS + TableKeys.escape(mailbox.toLowerCase(Locale.ROOT));
    }

    private static String connectionPointers(String accountId, String userId) {
        return CONNECTION_POINTERS + rowKey(accountId, userId);
    }

    private static String pointerRow(MailSubscription subscription) {
        return TableKeys.escape(subscription.id()) + "|" + rowKey(subscription.accountId(), subscription.userId());
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
