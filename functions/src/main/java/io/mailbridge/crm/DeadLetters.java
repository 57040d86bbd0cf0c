package io.mailbridge.crm;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.storage.Tally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Events the CRM never took, kept for operators to see and replay: nothing is dropped silently. */
public final class DeadLetters {
    private static final String PARTITION = "crm-events";

    /** One undelivered event, as JSON, with why its last attempt failed. */
    public record DeadLetter(String eventId, String eventType, String eventJson, String reason, int attempts, Instant failedAt) {}

    private final Supplier<TableClient> table;

    public DeadLetters(StorageClients storage) {
        this(storage, StorageNames.DEAD_LETTERS_TABLE);
    }

    public DeadLetters(StorageClients storage, String tableName) {
        this.table = storage.table(tableName);
    }

    public void add(DeadLetter letter) {
        TableEntity entity = new TableEntity(PARTITION, TableKeys.escape(letter.eventId()))
                .addProperty("EventType", letter.eventType())
                .addProperty("EventJson", letter.eventJson())
                .addProperty("Reason", letter.reason())
                .addProperty("Attempts", letter.attempts());
        Properties.instant(entity, "FailedAt", letter.failedAt());
        table.get().upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
    }

    public List<DeadLetter> list(int max) {
        List<DeadLetter> letters = new ArrayList<>();
        for (TableEntity entity : table.get().listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + PARTITION + "'")
                .setTop(Math.min(max, 1000)), null, null)) {
            letters.add(read(entity));
            if (letters.size() == max) {
                break;
            }
        }
        return letters;
    }

    /**
     * How many events wait here, and when the oldest of them failed. Reads only FailedAt, page by page: one table
     * transaction per 1,000 dead letters, constant memory.
     */
    public Tally open() {
        return Tally.of(table.get().listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + PARTITION + "'")
                .setSelect(List.of("FailedAt")), null, null), "FailedAt");
    }

    public Optional<DeadLetter> find(String eventId) {
        try {
            return Optional.of(read(table.get().getEntity(PARTITION, TableKeys.escape(eventId))));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void remove(String eventId) {
        table.get().deleteEntity(PARTITION, TableKeys.escape(eventId));
    }

    private static DeadLetter read(TableEntity e) {
        return new DeadLetter(TableKeys.unescape(e.getRowKey()), Properties.string(e, "EventType"), Properties.string(e, "EventJson"),
                Properties.string(e, "Reason"), (Integer) e.getProperty("Attempts"), Properties.instant(e, "FailedAt"));
    }
}
