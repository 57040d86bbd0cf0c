package io.mailbridge.crm;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The email addresses of each CRM account's prospects, pushed by the CRM: one row per address in
 * the account's partition, so a mail's participants are checked with point reads.
 */
public final class Prospects {
    /** An entity group transaction holds at most 100 operations. */
    private static final int TRANSACTION_LIMIT = 100;
    /** Table Storage evaluates at most 15 discrete comparisons in one filter. */
    private static final int FILTER_COMPARISON_LIMIT = 14;

    private final Supplier<TableClient> table;

    public Prospects(StorageClients storage) {
        this(storage, StorageNames.PROSPECTS_TABLE);
    }

    public Prospects(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    /** Adds addresses (already normalized); adding one that exists changes nothing. */
    public void upsert(String accountId, Collection<String> addresses) {
        String partition = TableKeys.escape(accountId);
        List<TableTransactionAction> batch = new ArrayList<>();
        for (String address : new TreeSet<>(addresses)) {
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
                    new TableEntity(partition, TableKeys.escape(address))));
            if (batch.size() == TRANSACTION_LIMIT) {
                table.get().submitTransaction(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            table.get().submitTransaction(batch);
        }
    }

    /** Removes addresses (already normalized); removing one that is absent changes nothing. */
    public void delete(String accountId, Collection<String> addresses) {
        // One by one: in a transaction, a single absent address would fail the whole batch.
        String partition = TableKeys.escape(accountId);
        new TreeSet<>(addresses).forEach(address -> table.get().deleteEntity(partition, TableKeys.escape(address)));
    }

    /** The subset of {@code addresses} (already normalized) that are prospects of the account. */
    public Set<String> prospectsAmong(String accountId, Collection<String> addresses) {
        List<String> keys = new TreeSet<>(addresses).stream().map(TableKeys::escape).toList();
        Set<String> found = new TreeSet<>();
        for (int from = 0; from < keys.size(); from += FILTER_COMPARISON_LIMIT) {
            String rowKeys = keys.subList(from, Math.min(keys.size(), from + FILTER_COMPARISON_LIMIT)).stream()
                    .map(key -> "RowKey eq " + EntityTable.literal(key)).collect(Collectors.joining(" or "));
            ListEntitiesOptions query = new ListEntitiesOptions()
                    .setFilter("PartitionKey eq " + EntityTable.literal(TableKeys.escape(accountId)) + " and (" + rowKeys + ")")
                    .setSelect(List.of("RowKey"));
            table.get().listEntities(query, null, null).forEach(entity -> found.add(TableKeys.unescape(entity.getRowKey())));
        }
        return found;
    }

}
