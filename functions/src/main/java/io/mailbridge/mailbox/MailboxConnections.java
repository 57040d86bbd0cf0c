package io.mailbridge.mailbox;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.config.Region;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The stored mailbox connections: partitioned by CRM account, one row per CRM user. */
public final class MailboxConnections {
    private final EntityTable<MailboxConnection> table;

    public MailboxConnections(StorageClients storage) {
        this(storage, StorageNames.CONNECTIONS_TABLE);
    }

    public MailboxConnections(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.tables().getTableClient(tableName), new Mapper());
    }

    public Optional<Stored<MailboxConnection>> find(String accountId, String userId) {
        return table.find(TableKeys.escape(accountId), TableKeys.escape(userId));
    }

    public void insert(MailboxConnection connection) {
        table.insert(connection);
    }

    public void replace(Stored<MailboxConnection> current, MailboxConnection updated) {
        table.replace(current, updated);
    }

    /** Applies {@code change} to the latest stored version, retrying on concurrent writes. */
    public MailboxConnection update(String accountId, String userId, UnaryOperator<MailboxConnection> change) {
        return table.update(TableKeys.escape(accountId), TableKeys.escape(userId), change);
    }

    private static final class Mapper implements EntityMapper<MailboxConnection> {
        @Override
        public String partitionKey(MailboxConnection c) {
            return TableKeys.escape(c.accountId());
        }

        @Override
        public String rowKey(MailboxConnection c) {
            return TableKeys.escape(c.userId());
        }

        @Override
        public void writeProperties(MailboxConnection c, TableEntity e) {
            e.addProperty("MailboxAddress", c.mailboxAddress());
            e.addProperty("State", c.state().name());
            e.addProperty("Mode", c.mode().name());
            e.addProperty("Profile", c.profile().name());
            e.addProperty("Region", c.region().name());
            Properties.lines(e, "Aliases", c.aliases());
            Properties.stringIfPresent(e, "BccAddress", c.bccAddress());
            Properties.stringIfPresent(e, "LastError", c.lastError());
            Properties.instant(e, "CreatedAt", c.createdAt());
            Properties.instant(e, "UpdatedAt", c.updatedAt());
        }

        @Override
        public MailboxConnection read(TableEntity e) {
            return new MailboxConnection(
                    TableKeys.unescape(e.getPartitionKey()),
                    TableKeys.unescape(e.getRowKey()),
                    Properties.string(e, "MailboxAddress"),
                    Properties.enumValue(e, "State", ConnectionState.class),
                    Properties.enumValue(e, "Mode", SyncMode.class),
                    Properties.enumValue(e, "Profile", Profile.class),
                    Properties.enumValue(e, "Region", Region.class),
                    Properties.lines(e, "Aliases"),
                    Properties.string(e, "BccAddress"),
                    Properties.string(e, "LastError"),
                    Properties.instant(e, "CreatedAt"),
                    Properties.instant(e, "UpdatedAt"));
        }
    }
}
