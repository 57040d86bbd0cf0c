package io.mailbridge.storage;

import com.azure.data.tables.models.TableEntity;

/** Converts one record type to and from table entities, by hand: no reflection at cold start. */
public interface EntityMapper<T> {

    String partitionKey(T value);

    String rowKey(T value);

    /** The entity's properties; keys and ETag are set by {@link EntityTable}. */
    void writeProperties(T value, TableEntity entity);

    T read(TableEntity entity);
}
