package io.mailbridge.storage;

import java.util.Collection;

/** Creates the app's tables, queues and containers where no deployment did (Azurite); idempotent. */
public final class StorageProvisioning {
    private StorageProvisioning() {}

    public static void createAll(StorageClients storage) {
        create(storage, StorageNames.TABLES, StorageNames.QUEUES);
        storage.blobs().getBlobContainerClient(StorageNames.PAYLOADS_CONTAINER).createIfNotExists();
        storage.blobs().getBlobContainerClient(StorageNames.TABLE_EXPORTS_CONTAINER).createIfNotExists();
    }

    public static void create(StorageClients storage, Collection<String> tables, Collection<String> queues) {
        tables.forEach(storage.tables()::createTableIfNotExists);
        queues.forEach(queue -> storage.queues().getQueueClient(queue).createIfNotExists());
    }
}
