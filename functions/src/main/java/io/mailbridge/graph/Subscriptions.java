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
import java.util.List;

/**
 * The stored subscriptions: one partition per Graph subscription id (the webhook reads it to check
 * a notification and find every connection it concerns), one row per connection using it; each
 * connection now makes its own, but records from when connections shared one still hold two rows.
 */
public final class Subscriptions {
    private final TableClient client;
    private final EntityTable<MailSubscription> table;

    public Subscriptions(StorageClients storage) {
        this(storage, StorageNames.SUBSCRIPTIONS_TABLE);
    }

    public Subscriptions(StorageClients storage, String tableName) {
        this.client = storage.tables().getTableClient(tableName);
        this.table = new EntityTable<>(client, new Mapper());
    }

    /** Every connection's record of the subscription; empty for an id this stamp does not know. */
    public List<MailSubscription> find(String subscriptionId) {
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > 128) {
            return List.of();
        }
        return table.query(new ListEntitiesOptions().setFilter("PartitionKey eq " + EntityTable.literal(TableKeys.escape(subscriptionId))));
    }

    public void save(MailSubscription subscription) {
        table.upsert(subscription);
    }

    /** Forgets one connection's use of the subscription. */
    public void delete(MailSubscription subscription) {
        table.delete(TableKeys.escape(subscription.id()), rowKey(subscription.accountId(), subscription.userId()));
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
        return Tally.of(client.listEntities(new ListEntitiesOptions()
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
