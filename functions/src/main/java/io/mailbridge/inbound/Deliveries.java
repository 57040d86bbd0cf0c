package io.mailbridge.inbound;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Instant;

/**
 * Which mails each CRM user has already been given: the duplicate filter behind "exactly once".
 * Keyed by the mail's identity (its Message-ID), so notifications twice over, created + updated
 * pairs, replays after a resync and the same mail BCC'd again all find the same row.
 */
public final class Deliveries {
    private final TableClient table;

    public Deliveries(StorageClients storage) {
        this(storage, StorageNames.DELIVERIES_TABLE);
    }

    public Deliveries(StorageClients storage, String tableName) {
        this.table = storage.tables().getTableClient(tableName);
    }

    public boolean wasDelivered(String accountId, String userId, String mailKey) {
        try {
            table.getEntity(partition(accountId, userId), mailKey);
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    public void markDelivered(String accountId, String userId, String mailKey, String eventId, Instant at) {
        TableEntity entity = new TableEntity(partition(accountId, userId), mailKey).addProperty("EventId", eventId);
        Properties.instant(entity, "DeliveredAt", at);
        table.upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
    }

    private static String partition(String accountId, String userId) {
        return TableKeys.escape(accountId) + "|" + TableKeys.escape(userId);
    }
}
