package io.mailbridge.mailbox;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import io.mailbridge.config.Region;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The stored mailbox connections, one partition per CRM account: a row per CRM user
 * ({@code user:<id>}) and a claim row per connected mailbox ({@code mailbox:<address>}), written
 * together in one transaction, so no two users of an account ever hold the same mailbox.
 */
public final class MailboxConnections {
    private static final String USER_ROW = "user:";
    private static final String MAILBOX_ROW = "mailbox:";
    private static final String USER_ROWS = "RowKey ge '" + USER_ROW + "' and RowKey lt 'user;'";

    private final Supplier<TableClient> client;
    private final EntityTable<MailboxConnection> table;
    private final Mapper mapper = new Mapper();

    public MailboxConnections(StorageClients storage) {
        this(storage, StorageNames.CONNECTIONS_TABLE);
    }

    public MailboxConnections(StorageClients storage, String tableName) {
        this.client = storage.table(tableName);
        this.table = new EntityTable<>(client, mapper);
    }

    public Optional<Stored<MailboxConnection>> find(String accountId, String userId) {
        return table.find(TableKeys.escape(accountId), USER_ROW + TableKeys.escape(userId));
    }

    /** Every connection of every account: for timers that fan out work per mailbox. */
    public List<MailboxConnection> all() {
        return table.query(new ListEntitiesOptions().setFilter(USER_ROWS));
    }

    /** Every connection of every account, a page at a time (at most {@code pageSize}): memory stays flat however many there are. */
    public void forEachPage(int pageSize, Consumer<List<MailboxConnection>> page) {
        table.forEachPage(new ListEntitiesOptions().setFilter(USER_ROWS), pageSize, page);
    }

    /**
     * How many connections each region has in each state. Reads only State and Region of the user rows, page by
     * page: one table transaction per 1,000 connections, and memory for the counts alone.
     */
    public Map<Region, Map<ConnectionState, Long>> countByRegionAndState() {
        Map<Region, Map<ConnectionState, Long>> counts = new EnumMap<>(Region.class);
        for (TableEntity e : client.get().listEntities(new ListEntitiesOptions().setFilter(USER_ROWS).setSelect(List.of("Region", "State")),
                null, null)) {
            counts.computeIfAbsent(Properties.enumValue(e, "Region", Region.class), region -> new EnumMap<>(ConnectionState.class))
                    .merge(Properties.enumValue(e, "State", ConnectionState.class), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Stores a new connection, or replaces {@code existing} (a reconnect), claiming its mailbox in the
     * same transaction.
     *
     * @throws MailboxTakenException when another user of the account holds the mailbox
     * @throws ConcurrentUpdateException when {@code existing} changed since it was read
     */
    public void connect(MailboxConnection connection, Optional<Stored<MailboxConnection>> existing) {
        String partition = TableKeys.escape(connection.accountId());
        List<TableTransactionAction> actions = new ArrayList<>();
        if (existing.isEmpty()) {
            actions.add(new TableTransactionAction(TableTransactionActionType.CREATE, mapper.entity(connection)));
        } else {
            TableEntity replacement = mapper.entity(connection).addProperty("odata.etag", existing.get().etag());
            actions.add(new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, replacement, true));
        }
        String oldMailbox = existing.map(s -> s.value().mailboxAddress()).orElse(null);
        if (!connection.mailboxAddress().equals(oldMailbox)) {
            if (oldMailbox != null) {
                actions.add(new TableTransactionAction(TableTransactionActionType.DELETE, new TableEntity(partition, claimKey(oldMailbox))));
            }
            actions.add(new TableTransactionAction(TableTransactionActionType.CREATE, new TableEntity(partition,
                    claimKey(connection.mailboxAddress())).addProperty("UserId", connection.userId())));
        }
        try {
            client.get().submitTransaction(actions);
        } catch (TableTransactionFailedException e) {
            TableErrorCode code = e.getValue() == null ? null : e.getValue().getErrorCode();
            boolean claimFailed = e.getFailedTransactionActionIndex() != null
                    && actions.get(e.getFailedTransactionActionIndex()).getEntity().getRowKey().startsWith(MAILBOX_ROW);
            if (claimFailed && TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code)) {
                throw new MailboxTakenException(connection.mailboxAddress());
            }
            if (TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code) || TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(code)
                    || TableErrorCode.RESOURCE_NOT_FOUND.equals(code)) {
                throw new ConcurrentUpdateException(client.get().getTableName(), partition,
                        USER_ROW + TableKeys.escape(connection.userId()));
            }
            throw e;
        }
    }

    /** The CRM user who holds the mailbox in the account, if anyone does. */
    public Optional<String> holderOf(String accountId, String mailboxAddress) {
        try {
            return Optional.of(Properties.string(client.get().getEntity(TableKeys.escape(accountId), claimKey(mailboxAddress)), "UserId"));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Applies {@code change} to the latest stored version, retrying on concurrent writes. */
    public MailboxConnection update(String accountId, String userId, UnaryOperator<MailboxConnection> change) {
        return table.update(TableKeys.escape(accountId), USER_ROW + TableKeys.escape(userId), change);
    }

    /**
     * Makes {@code transition} on the latest stored version if its state allows it, retrying on concurrent
     * writes; the connection after it, or empty when its state did not allow it (then nothing is written).
     * Only {@link ConnectionLifecycle} calls it, so every change also tells the CRM.
     */
    Optional<MailboxConnection> apply(String accountId, String userId, ConnectionTransition transition, String reason, Instant now) {
        return table.updateIf(TableKeys.escape(accountId), USER_ROW + TableKeys.escape(userId),
                current -> transition.allowedFrom(current.state()), current -> transition.applyTo(current, reason, now));
    }

    /** Releases the mailbox for other users of the account (disconnect); the connection row stays for audit. */
    public void releaseMailbox(String accountId, String mailboxAddress) {
        client.get().deleteEntity(TableKeys.escape(accountId), claimKey(mailboxAddress));
    }

    private static String claimKey(String mailboxAddress) {
        return MAILBOX_ROW + TableKeys.escape(mailboxAddress.toLowerCase(Locale.ROOT));
    }

    private static final class Mapper implements EntityMapper<MailboxConnection> {
        TableEntity entity(MailboxConnection c) {
            TableEntity entity = new TableEntity(partitionKey(c), rowKey(c));
            writeProperties(c, entity);
            return entity;
        }

        @Override
        public String partitionKey(MailboxConnection c) {
            return TableKeys.escape(c.accountId());
        }

        @Override
        public String rowKey(MailboxConnection c) {
            return USER_ROW + TableKeys.escape(c.userId());
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
                    TableKeys.unescape(e.getRowKey().substring(USER_ROW.length())),
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
