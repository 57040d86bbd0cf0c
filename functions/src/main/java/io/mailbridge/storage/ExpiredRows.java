package io.mailbridge.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Deletes the rows of short-lived records whose expiry time has passed, so nothing stays stored longer than it is of use. */
public final class ExpiredRows {
    private ExpiredRows() {}

    /** Deletes every row whose {@code expiresAtProperty} (an Edm.DateTime) is before {@code now}; returns how many. */
    public static int delete(TableClient table, String expiresAtProperty, Instant now) {
        String filter = expiresAtProperty + " lt datetime'" + now.truncatedTo(ChronoUnit.MILLIS) + "'";
        List<TableEntity> expired = table.listEntities(new ListEntitiesOptions().setFilter(filter).setSelect(List.of("PartitionKey", "RowKey")),
                null, null).stream().toList();
        expired.forEach(e -> table.deleteEntity(e.getPartitionKey(), e.getRowKey()));
        return expired.size();
    }
}
