package io.mailbridge.mailbox;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.RandomTokens;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Who connected, changed or disconnected which mailbox, and when: kept after the connection is gone. */
public final class AuditLog {

    public record Entry(String accountId, String userId, String action, String detail, Instant at) {}

    private final Supplier<TableClient> table;

    public AuditLog(StorageClients storage) {
        this(storage, StorageNames.AUDIT_TABLE);
    }

    public AuditLog(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    public void record(Entry entry) {
        // Row keys sort ascending, so the inverted time lists the newest entry first.
        String rowKey = String.format("%019d", Long.MAX_VALUE - entry.at().toEpochMilli()) + "-" + RandomTokens.next().substring(0, 8);
        TableEntity entity = new TableEntity(TableKeys.escape(entry.accountId()), rowKey)
                .addProperty("UserId", entry.userId())
                .addProperty("Action", entry.action())
                .addProperty("Detail", entry.detail());
        Properties.instant(entity, "At", entry.at());
        table.get().createEntity(entity);
    }

    /** The account's entries, newest first. */
    public List<Entry> of(String accountId, int max) {
        List<Entry> entries = new ArrayList<>();
        for (TableEntity e : table.get().listEntities(new ListEntitiesOptions()
                .setFilter("PartitionKey eq " + EntityTable.literal(TableKeys.escape(accountId))).setTop(Math.min(max, 1000)), null, null)) {
            entries.add(new Entry(accountId, Properties.string(e, "UserId"), Properties.string(e, "Action"),
                    Properties.string(e, "Detail"), Properties.instant(e, "At")));
            if (entries.size() == max) {
                break;
            }
        }
        return entries;
    }
}
