package io.mailbridge.storage;

/**
 * Someone else changed (or deleted) the entity since it was read: the storage answered 412.
 * Read it again, re-apply the change, and write again.
 */
public final class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String table, String partitionKey, String rowKey) {
        super("Entity " + partitionKey + "/" + rowKey + " in table " + table + " changed since it was read");
    }
}
