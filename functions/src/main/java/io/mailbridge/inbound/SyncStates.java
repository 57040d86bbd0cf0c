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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The stored {@link SyncState}s, one row per connection and folder; leases are ETag-conditional writes. */
public final class SyncStates {
    /** Longer than any sync run; a run that crashed frees its folder after this. */
    static final Duration LEASE = Duration.ofMinutes(5);
    /** Reads and conditional writes to try before giving up on recording one request. */
    private static final int MAX_CLAIM_ATTEMPTS = 5;

    private final EntityTable<SyncState> table;

    public SyncStates(StorageClients storage) {
        this(storage, StorageNames.SYNC_STATES_TABLE);
    }

    public SyncStates(StorageClients storage, String tableName) {
        this.table = new EntityTable<>(storage.table(tableName), new Mapper());
    }

    /** What asking for a folder got. */
    public sealed interface Claim {
        /** The folder is this run's until it finishes or releases it. */
        record Taken(Stored<SyncState> state) implements Claim {}

        /**
         * Another run holds the folder and has been asked to go once more, which covers this request.
         * {@code firstAsked}: this request set the flag, and the holder's lease runs until {@code leaseUntil}.
         */
        record Held(boolean firstAsked, Instant leaseUntil) implements Claim {}

        /** Writers kept colliding: the request could not be recorded, and must be looked at again later. */
        record Contended() implements Claim {}
    }

    /**
     * Takes the folder for one run; when another run holds it, marks it pending instead (once: a storm of
     * requests for a held folder costs one read each), so the holder runs once more after its current round.
     */
    public Claim lease(String accountId, String userId, String folder, Instant now) {
        String partition = partition(accountId, userId);
        String leaseId = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            Optional<Stored<SyncState>> current = table.find(partition, folder);
            if (current.isEmpty()) {
                try {
                    table.insert(SyncState.fresh(accountId, userId, folder));
                } catch (EntityAlreadyExistsException e) {
                    // Another run created it a moment ago; the read below sees its row.
                }
                current = table.find(partition, folder);
                if (current.isEmpty()) {
                    continue;
                }
            }
            SyncState state = current.get().value();
            if (leaseId.equals(state.leaseId())) {
                // Our lease write landed, but its answer was lost and the SDK's retry of it met our own version.
                return new Claim.Taken(current.get());
            }
            try {
                if (!state.isLeasedAt(now)) {
                    table.replace(current.get(), state.leased(now.plus(LEASE), leaseId));
                    return new Claim.Taken(table.find(partition, folder).orElseThrow());
                }
                if (state.pending()) {
                    return new Claim.Held(false, state.leaseUntil());
                }
                table.replace(current.get(), state.withPending(true));
                return new Claim.Held(true, state.leaseUntil());
            } catch (ConcurrentUpdateException e) {
                // The holder saved, finished or another request marked it meanwhile: look again.
            }
        }
        return new Claim.Contended();
    }

    /**
     * Writes the run's progress under its lease; the returned version is the one to write next. A request that
     * marked the folder pending meanwhile is kept: the run's next write carries the mark on.
     */
    public Stored<SyncState> save(Stored<SyncState> leased, SyncState next) {
        Stored<SyncState> base = leased;
        SyncState write = next;
        while (true) {
            try {
                table.replace(base, write);
                return table.find(partition(next.accountId(), next.userId()), next.folder()).orElseThrow();
            } catch (ConcurrentUpdateException e) {
                Stored<SyncState> latest = afterConflict(leased, write, e);
                if (latest.value().equals(asStored(write))) {
                    return latest;
                }
                base = latest;
                write = next.withPending(next.pending() || base.value().pending());
            }
        }
    }

    /**
     * Ends a run that reached the end of its changes: releases the folder, or, when a request marked it pending
     * during the run, keeps it and answers the state for one more round (from {@code completed}'s link).
     */
    public Optional<Stored<SyncState>> finish(Stored<SyncState> leased, SyncState completed, Instant now) {
        Stored<SyncState> base = leased;
        while (!base.value().pending()) {
            try {
                table.replace(base, completed);
                return Optional.empty();
            } catch (ConcurrentUpdateException e) {
                base = afterConflict(leased, completed, e);
                if (base.value().equals(asStored(completed))) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(save(base, completed.leased(now.plus(LEASE), base.value().leaseId())));
    }

    /**
     * The latest version after a write of {@code written} met a conflict: one the run still holds the lease of, or
     * {@code written} itself (the write landed, its answer was lost and the SDK's retry met it). Anything else
     * means the run lost the folder (it ran past its lease): the conflict is thrown.
     */
    private Stored<SyncState> afterConflict(Stored<SyncState> leased, SyncState written, ConcurrentUpdateException conflict) {
        SyncState ours = leased.value();
        Optional<Stored<SyncState>> latest = table.find(partition(ours.accountId(), ours.userId()), ours.folder());
        if (latest.isEmpty() || !(Objects.equals(latest.get().value().leaseId(), ours.leaseId())
                || latest.get().value().equals(asStored(written)))) {
            throw conflict;
        }
        return latest.get();
    }

    /** The state as a read gives it back: the table keeps instants to the millisecond. */
    private static SyncState asStored(SyncState s) {
        return new SyncState(s.accountId(), s.userId(), s.folder(), s.link(), millis(s.leaseUntil()), s.leaseId(), millis(s.lastSyncAt()),
                s.mailsDelivered(), s.lastError(), s.pending());
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
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
            Properties.stringIfPresent(e, "LeaseId", s.leaseId());
            Properties.instant(e, "LastSyncAt", s.lastSyncAt());
            e.addProperty("MailsDelivered", s.mailsDelivered());
            Properties.stringIfPresent(e, "LastError", s.lastError());
            e.addProperty("Pending", s.pending());
        }

        @Override
        public SyncState read(TableEntity e) {
            Object delivered = e.getProperty("MailsDelivered");
            return new SyncState(Properties.string(e, "AccountId"), Properties.string(e, "UserId"), e.getRowKey(),
                    Properties.string(e, "Link"), Properties.instant(e, "LeaseUntil"), Properties.string(e, "LeaseId"),
                    Properties.instant(e, "LastSyncAt"),
                    delivered == null ? 0 : ((Number) delivered).longValue(), Properties.string(e, "LastError"),
                    Boolean.TRUE.equals(e.getProperty("Pending")));
        }
    }
}
