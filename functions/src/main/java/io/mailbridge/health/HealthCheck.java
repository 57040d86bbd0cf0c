package io.mailbridge.health;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.data.tables.models.ListTablesOptions;
import com.azure.data.tables.models.TableItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.mailbridge.config.Region;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Checks that the stamp's storage answers and holds every table and queue the app uses. */
public final class HealthCheck {
    /** A health probe must answer quickly even when storage does not. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final StorageClients storage;
    private final Region region;

    public HealthCheck(StorageClients storage, Region region) {
        this.storage = storage;
        this.region = region;
    }

    public HealthReport check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("tables", probe(() -> missing("tables", StorageNames.TABLES, this::tableNames)));
        if (!StorageNames.QUEUES.isEmpty()) {
            checks.put("queues", probe(() -> missing("queues", StorageNames.QUEUES, this::queueNames)));
        }
        return HealthReport.of(region, checks);
    }

    private Set<String> tableNames() {
        String filter = StorageNames.TABLES.stream().map(t -> "TableName eq '" + t + "'").collect(Collectors.joining(" or "));
        return storage.tables().listTables(new ListTablesOptions().setFilter(filter), TIMEOUT, Context.NONE)
                .stream().map(TableItem::getName).collect(Collectors.toSet());
    }

    /** Asks for each queue's properties: one small request a queue, and no list permission needed. */
    private Set<String> queueNames() {
        Set<String> existing = new HashSet<>();
        for (String queue : StorageNames.QUEUES) {
            try {
                storage.queues().getQueueClient(queue).getPropertiesWithResponse(TIMEOUT, Context.NONE);
                existing.add(queue);
            } catch (QueueStorageException e) {
                if (e.getStatusCode() != 404) {
                    throw e;
                }
            }
        }
        return existing;
    }

    private static String missing(String kind, List<String> expected, Supplier<Set<String>> existing) {
        List<String> absent = new ArrayList<>(expected);
        absent.removeAll(existing.get());
        return absent.isEmpty() ? HealthReport.OK : "missing " + kind + ": " + String.join(", ", absent);
    }

    /** The reason names the failure without echoing requests, which could carry credentials. */
    private static String probe(Supplier<String> check) {
        try {
            return check.get();
        } catch (HttpResponseException e) {
            return "unreachable: HTTP " + e.getResponse().getStatusCode();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "unreachable: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
        }
    }
}
