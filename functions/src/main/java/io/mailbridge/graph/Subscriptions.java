package io.mailbridge.graph;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.util.List;
import java.util.Optional;

/** The stored subscriptions, keyed by Graph's subscription id: the webhook looks them up by it. */
public final class Subscriptions {
    private static final String ROW_KEY = "subscription";

    private final EntityTable<MailSubscription> table;

    public Subscriptions(StorageClients storage) {
        this(storage, StorageNames.SUBSCRIPTIONS_TABLE);
    }

    public Subscriptions(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.tables().getTableClient(tableName), new Mapper());
    }

    public Optional<MailSubscription> find(String subscriptionId) {
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > 128) {
            return Optional.empty();
        }
        return table.find(TableKeys.escape(subscriptionId), ROW_KEY).map(Stored::value);
    }

    public void save(MailSubscription subscription) {
        table.upsert(subscription);
    }

    public void delete(String subscriptionId) {
        table.delete(TableKeys.escape(subscriptionId), ROW_KEY);
    }

    /** A connection's subscriptions; a scan, which only rare operations (mode change, disconnect) need. */
    public List<MailSubscription> of(String accountId, String userId) {
        return table.query(new ListEntitiesOptions().setFilter("AccountId eq " + EntityTable.literal(accountId)
                + " and UserId eq " + EntityTable.literal(userId)));
    }

    /** Every subscription: the renewal timer walks them. */
    public List<MailSubscription> all() {
        return table.query(new ListEntitiesOptions());
    }

    private static final class Mapper implements EntityMapper<MailSubscription> {
        @Override
        public String partitionKey(MailSubscription s) {
            return TableKeys.escape(s.id());
        }

        @Override
        public String rowKey(MailSubscription s) {
            return ROW_KEY;
        }

        @Override
        public void writeProperties(MailSubscription s, TableEntity e) {
            e.addProperty("AccountId", s.accountId());
            e.addProperty("UserId", s.userId());
            e.addProperty("Folder", s.folder());
            e.addProperty("ClientState", s.clientState());
            Properties.instant(e, "ExpiresAt", s.expiresAt());
        }

        @Override
        public MailSubscription read(TableEntity e) {
            return new MailSubscription(TableKeys.unescape(e.getPartitionKey()), Properties.string(e, "AccountId"),
                    Properties.string(e, "UserId"), Properties.string(e, "Folder"), Properties.string(e, "ClientState"),
                    Properties.instant(e, "ExpiresAt"));
        }
    }
}
