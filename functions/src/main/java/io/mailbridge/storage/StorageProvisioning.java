package io.mailbridge.storage;

import java.util.Collection;

/** Creates the app's tables, queues and containers where no deployment did (Azurite); idempotent. */
public final class StorageProvisioning {
    private StorageProvisioning() {}

    public static void createAll(StorageClients storage) {
        create(storage, StorageNames.TABLES, StorageNames.QUEUES);
        StorageNames.CONTAINERS.forEach(container -> storage.blobs().getBlobContainerClient(container).createIfNotExists());
    }

    public static void create(StorageClients storage, Collection<String> tables, Collection<String> queues) {
        tables.forEach(storage.tables()::createTableIfNotExists);
        queues.forEach(queue -> storage.queues().getQueueClient(queue).createIfNotExists());
    }
}
