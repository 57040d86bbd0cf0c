package io.mailbridge.storage;

/** An insert met an entity with the same keys: the storage answered 409. */
public final class EntityAlreadyExistsException extends RuntimeException {
    public EntityAlreadyExistsException(String table, String partitionKey, String rowKey) {
        super("Entity " + partitionKey + "/" + rowKey + " already exists in table " + table);
    }
}
