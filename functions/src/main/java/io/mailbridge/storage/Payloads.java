package io.mailbridge.storage;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/** Blobs for what is too large for a queue message or a table property: mail bodies and the events carrying them. */
public final class Payloads {
    private final Supplier<BlobContainerClient> container;

    public Payloads(StorageClients storage) {
        this(storage, StorageNames.PAYLOADS_CONTAINER);
    }

    public Payloads(StorageClients storage, String containerName) {
        this.container = storage.container(containerName);
    }

    /** Stores (or overwrites: names are derived from content ids, so a rewrite writes the same) a payload. */
    public void put(String name, String text) {
        container.get().getBlobClient(name).upload(BinaryData.fromString(text), true);
    }

    public Optional<String> get(String name) {
        try {
            return Optional.of(new String(container.get().getBlobClient(name).downloadContent().toBytes(), StandardCharsets.UTF_8));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String name) {
        container.get().getBlobClient(name).deleteIfExists();
    }
}
