package io.mailbridge.inbound;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.EntityAlreadyExistsException;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored {@link SyncState}s, one row per connection and folder; leases are ETag-conditional writes. */
public final class SyncStates {
    /** Longer than any sync run; a run that crashed frees its folder after this. */
    static final Duration LEASE = Duration.ofMinutes(5);

    private final EntityTable<SyncState> table;

    public SyncStates(StorageClients storage) {
        this(storage, StorageNames.SYNC_STATES_TABLE);
    }

    public SyncStates(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.tables().getTableClient(tableName), new Mapper());
    }

    /** Takes the folder for one run, unless another run holds it. */
    public Optional<Stored<SyncState>> lease(String accountId, String userId, String folder, Instant now) {
        String partition = partition(accountId, userId);
        Optional<Stored<SyncState>> current = table.find(partition, folder);
        if (current.isEmpty()) {
            try {
                table.insert(SyncState.fresh(accountId, userId, folder));
            } catch (EntityAlreadyExistsException e) {
                // Another run created it a moment ago; the read below sees its row.
            }
            current = table.find(partition, folder);
        }
        if (current.isEmpty() || current.get().value().isLeasedAt(now)) {
            return Optional.empty();
        }
        SyncState leased = current.get().value().leased(now.plus(LEASE));
        try {
            table.replace(current.get(), leased);
        } catch (ConcurrentUpdateException e) {
            return Optional.empty();
        }
        return table.find(partition, folder);
    }

    /** Writes the run's progress under its lease; the returned version is the one to write next. */
    public Stored<SyncState> save(Stored<SyncState> leased, SyncState next) {
        table.replace(leased, next);
        return table.find(partition(next.accountId(), next.userId()), next.folder()).orElseThrow();
    }

    public List<SyncState> of(String accountId, String userId) {
        return table.query(new ListEntitiesOptions().setFilter("PartitionKey eq " + EntityTable.literal(partition(accountId, userId))));
    }

    private static String partition(String accountId, String userId) {
        return TableKeys.escape(accountId) + "|" + TableKeys.escape(userId);
    }

    private static final class Mapper implements EntityMapper<SyncState> {
        @Override
        public String partitionKey(SyncState s) {
            return partition(s.accountId(), s.userId());
        }

        @Override
        public String rowKey(SyncState s) {
            return s.folder();
        }

        @Override
        public void writeProperties(SyncState s, TableEntity e) {
            e.addProperty("AccountId", s.accountId());
            e.addProperty("UserId", s.userId());
            Properties.stringIfPresent(e, "Link", s.link());
            Properties.instant(e, "LeaseUntil", s.leaseUntil());
            Properties.instant(e, "LastSyncAt", s.lastSyncAt());
            e.addProperty("MailsDelivered", s.mailsDelivered());
            Properties.stringIfPresent(e, "LastError", s.lastError());
        }

        @Override
        public SyncState read(TableEntity e) {
            Object delivered = e.getProperty("MailsDelivered");
            return new SyncState(Properties.string(e, "AccountId"), Properties.string(e, "UserId"), e.getRowKey(),
                    Properties.string(e, "Link"), Properties.instant(e, "LeaseUntil"), Properties.instant(e, "LastSyncAt"),
                    delivered == null ? 0 : ((Number) delivered).longValue(), Properties.string(e, "LastError"));
        }
    }
}
