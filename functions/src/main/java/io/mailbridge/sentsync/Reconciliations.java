package io.mailbridge.sentsync;

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
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The stored {@link Reconciliation}s, one partition per CRM account and a row per user; leases are ETag-conditional writes. */
public final class Reconciliations {
    /** Longer than any job can run (host.json functionTimeout is 10 minutes): a lease past it belongs to a dead job. */
    static final Duration LEASE = Duration.ofMinutes(11);

    private final EntityTable<Reconciliation> table;

    public Reconciliations(StorageClients storage) {
        this(storage, StorageNames.RECONCILIATIONS_TABLE);
    }

    public Reconciliations(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.table(tableName), new Mapper());
    }

    public Optional<Reconciliation> of(String accountId, String userId) {
        return table.find(TableKeys.escape(accountId), TableKeys.escape(userId)).map(Stored::value);
    }

    /** Takes the connection's reconciliation for one job, unless another job holds it; returns what was written. */
    Optional<Reconciliation> lease(String accountId, String userId, Instant now) {
        // Stored at millisecond precision: the job compares its lease with the stored one when it ends.
        Instant until = now.plus(LEASE).truncatedTo(ChronoUnit.MILLIS);
        Optional<Stored<Reconciliation>> current = table.find(TableKeys.escape(accountId), TableKeys.escape(userId));
        try {
            if (current.isEmpty()) {
                Reconciliation leased = Reconciliation.none(accountId, userId).leased(until);
                table.insert(leased);
                return Optional.of(leased);
            }
            if (current.get().value().isLeasedAt(now)) {
                return Optional.empty();
            }
            Reconciliation leased = current.get().value().leased(until);
            table.replace(current.get(), leased);
            return Optional.of(leased);
        } catch (EntityAlreadyExistsException | ConcurrentUpdateException e) {
            // Another job took it between the read and the write.
            return Optional.empty();
        }
    }

    /** Records how the job that holds {@code leased} ended, and frees the lease. */
    void ran(Reconciliation leased, Instant at, int delivered, int written, String error) {
        table.update(TableKeys.escape(leased.accountId()), TableKeys.escape(leased.userId()),
                r -> r.ran(leased.leaseUntil(), at, delivered, written, error));
    }

    private static final class Mapper implements EntityMapper<Reconciliation> {
        @Override
        public String partitionKey(Reconciliation r) {
            return TableKeys.escape(r.accountId());
        }

        @Override
        public String rowKey(Reconciliation r) {
            return TableKeys.escape(r.userId());
        }

        @Override
        public void writeProperties(Reconciliation r, TableEntity e) {
            e.addProperty("AccountId", r.accountId());
            e.addProperty("UserId", r.userId());
            Properties.instant(e, "LeaseUntil", r.leaseUntil());
            Properties.instant(e, "LastRunAt", r.lastRunAt());
            e.addProperty("SentItemsDelivered", r.sentItemsDelivered());
            e.addProperty("CopiesWritten", r.copiesWritten());
            e.addProperty("CopiesWrittenTotal", r.copiesWrittenTotal());
            Properties.stringIfPresent(e, "LastError", r.lastError());
        }

        @Override
        public Reconciliation read(TableEntity e) {
            return new Reconciliation(Properties.string(e, "AccountId"), Properties.string(e, "UserId"), Properties.instant(e, "LeaseUntil"),
                    Properties.instant(e, "LastRunAt"), number(e, "SentItemsDelivered").intValue(), number(e, "CopiesWritten").intValue(),
                    number(e, "CopiesWrittenTotal").longValue(), Properties.string(e, "LastError"));
        }

        private static Number number(TableEntity e, String name) {
            Object value = e.getProperty(name);
            return value == null ? 0 : (Number) value;
        }
    }
}
