package io.mailbridge.storage;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One table of records of type T with optimistic concurrency: every write of an existing entity is
 * conditional on the ETag it was read with, and a 412 becomes {@link ConcurrentUpdateException}.
 * ETags come only from reads: Azurite's write responses carry malformed ETag headers, and a writer
 * that wants to write again must see the latest version anyway.
 */
public final class EntityTable<T> {
    private static final String ETAG_PROPERTY = "odata.etag";
    /** Enough for a burst of writers on one entity; beyond that something is wrong and should surface. */
    private static final int MAX_UPDATE_ATTEMPTS = 10;

    private final Supplier<TableClient> client;
    private final EntityMapper<T> mapper;

    public EntityTable(Supplier<TableClient> client, EntityMapper<T> mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    public Optional<Stored<T>> find(String partitionKey, String rowKey) {
        try {
            TableEntity entity = client.get().getEntity(partitionKey, rowKey);
            return Optional.of(new Stored<>(mapper.read(entity), entity.getETag()));
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Inserts a new entity; {@link EntityAlreadyExistsException} when one with the same keys exists. */
    public void insert(T value) {
        TableEntity entity = toEntity(value);
        try {
            client.get().createEntity(entity);
        } catch (TableServiceException e) {
            if (status(e) == 409) {
                throw new EntityAlreadyExistsException(client.get().getTableName(), entity.getPartitionKey(), entity.getRowKey());
            }
            throw e;
        }
    }

    /** Writes the entity whatever is stored: for writes that are authoritative, such as a fresh sign-in. */
    public void upsert(T value) {
        client.get().upsertEntityWithResponse(toEntity(value), TableEntityUpdateMode.REPLACE, null, null);
    }

    /** Deletes the entity whatever its version; deleting an absent entity changes nothing. */
    public void delete(String partitionKey, String rowKey) {
        client.get().deleteEntity(partitionKey, rowKey);
    }

    /** Replaces the entity if nobody changed it since {@code current} was read. */
    public void replace(Stored<T> current, T updated) {
        TableEntity entity = toEntity(updated).addProperty(ETAG_PROPERTY, current.etag());
        try {
            client.get().updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, null);
        } catch (TableServiceException e) {
            if (status(e) == 412 || status(e) == 404) {
                throw new ConcurrentUpdateException(client.get().getTableName(), entity.getPartitionKey(), entity.getRowKey());
            }
            throw e;
        }
    }

    /**
     * Reads, applies {@code change}, and writes conditionally, again from a fresh read whenever another
     * writer got there first, so no writer's change is lost. {@code change} may run more than once.
     * Returns the value written.
     */
    public T update(String partitionKey, String rowKey, UnaryOperator<T> change) {
        return updateIf(partitionKey, rowKey, current -> true, change).orElseThrow();
    }

    /**
     * Like {@link #update}, but only while {@code when} holds for the latest stored version: when it does not,
     * nothing is written and the answer is empty. Both may run more than once.
     */
    public Optional<T> updateIf(String partitionKey, String rowKey, Predicate<T> when, UnaryOperator<T> change) {
        return decide(partitionKey, rowKey, null, current -> {
            if (!when.test(current)) {
                return new Decision<>(null, Optional.empty());
            }
            T updated = change.apply(current);
            return new Decision<>(updated, Optional.of(updated));
        });
    }

    /** What {@code decide} made of the latest version: the value to write ({@code null}: write nothing) and the answer to give. */
    public record Decision<T, R>(T write, R answer) {}

    /**
     * Reads the latest version ({@code absent} when there is none yet; null: there must be one), lets {@code decide}
     * choose what to write, and writes it conditionally: an insert when there was none, else a replace on the ETag
     * read. When another writer got there first, decides again on a fresh read, so a decision is only ever written
     * on the version it was made from. {@code decide} may run more than once. Returns the answer of the decision
     * that held.
     */
    public <R> R decide(String partitionKey, String rowKey, T absent, Function<T, Decision<T, R>> decide) {
        for (int attempt = 1; ; attempt++) {
            Optional<Stored<T>> current = find(partitionKey, rowKey);
            if (current.isEmpty() && absent == null) {
                throw new NoSuchElementException("No entity " + partitionKey + "/" + rowKey + " in table " + client.get().getTableName());
            }
            Decision<T, R> decision = decide.apply(current.map(Stored::value).orElse(absent));
            if (decision.write() == null) {
                return decision.answer();
            }
            try {
                if (current.isPresent()) {
                    replace(current.get(), decision.write());
                } else {
                    insert(decision.write());
                }
                return decision.answer();
            } catch (ConcurrentUpdateException | EntityAlreadyExistsException e) {
                if (attempt == MAX_UPDATE_ATTEMPTS) {
                    throw e;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    /** Deletes the entity if nobody changed it since it was read; false when someone did (or it is gone). */
    public boolean deleteIfUnchanged(String partitionKey, String rowKey, String etag) {
        TableEntity entity = new TableEntity(partitionKey, rowKey).addProperty(ETAG_PROPERTY, etag);
        try {
            // The SDK answers a 404 on delete as a response, not an exception.
            return client.get().deleteEntityWithResponse(entity, true, null, null).getStatusCode() != 404;
        } catch (TableServiceException e) {
            if (status(e) == 412) {
                return false;
            }
            throw e;
        }
    }

    /** The records a query finds, e.g. a filter on properties. */
    public List<T> query(ListEntitiesOptions options) {
        List<T> found = new ArrayList<>();
        client.get().listEntities(options, null, null).forEach(entity -> found.add(mapper.read(entity)));
        return found;
    }

    /**
     * The records a query finds, one page of at most {@code pageSize} at a time: a walk over a large table holds
     * one page in memory, never the whole table.
     */
    public void forEachPage(ListEntitiesOptions options, int pageSize, Consumer<List<T>> page) {
        client.get().listEntities(options.setTop(pageSize), null, null).iterableByPage()
                .forEach(response -> page.accept(response.getValue().stream().map(mapper::read).toList()));
    }

    /** An OData string literal for filters: single quotes doubled. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private TableEntity toEntity(T value) {
        TableEntity entity = new TableEntity(mapper.partitionKey(value), mapper.rowKey(value));
        mapper.writeProperties(value, entity);
        return entity;
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    /** Jittered, growing pause so writers that collided do not collide again in lockstep. */
    private static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5L * attempt, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a conditional update", e);
        }
    }
}
