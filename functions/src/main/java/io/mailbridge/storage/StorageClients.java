package io.mailbridge.storage;

import com.azure.core.credential.TokenCredential;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import io.mailbridge.Lazy;
import io.mailbridge.config.StorageSettings;
import java.util.function.Supplier;

/**
 * The service clients of the app's storage account, built once per process, each on its first use: building
 * one loads most of the Azure SDK (its HTTP stack, Jackson), which a cold start should not pay for before a
 * request needs it. A malformed connection string still stops the app early: the Functions host itself
 * cannot start without a working AzureWebJobsStorage.
 */
public final class StorageClients {
    private final Supplier<TableServiceClient> tables;
    private final Supplier<QueueServiceClient> queues;
    private final Supplier<BlobServiceClient> blobs;

    /** Clients built elsewhere (tests wrap or count them). */
    public StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs) {
        this(() -> tables, () -> queues, () -> blobs);
    }

    private StorageClients(Supplier<TableServiceClient> tables, Supplier<QueueServiceClient> queues, Supplier<BlobServiceClient> blobs) {
        this.tables = tables;
        this.queues = queues;
        this.blobs = blobs;
    }

    public static StorageClients connect(StorageSettings settings) {
        return switch (settings) {
            case StorageSettings.ConnectionString(String value) -> new StorageClients(
                    Lazy.of(() -> new TableServiceClientBuilder().connectionString(value).buildClient()),
                    // Queue triggers decode base64 by default (host.json messageEncoding), so producers encode the same way.
                    Lazy.of(() -> new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64).connectionString(value)
                            .buildClient()),
                    Lazy.of(() -> new BlobServiceClientBuilder().connectionString(value).buildClient()));
            case StorageSettings.ManagedIdentity(var tableService, var queueService, var blobService) -> {
                Lazy<TokenCredential> credential = Lazy.of(() -> new DefaultAzureCredentialBuilder().build());
                yield new StorageClients(
                        Lazy.of(() -> new TableServiceClientBuilder().endpoint(tableService.toString()).credential(credential.get())
                                .buildClient()),
                        Lazy.of(() -> new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64)
                                .endpoint(queueService.toString()).credential(credential.get()).buildClient()),
                        Lazy.of(() -> new BlobServiceClientBuilder().endpoint(blobService.toString()).credential(credential.get())
                                .buildClient()));
            }
        };
    }

    public TableServiceClient tables() {
        return tables.get();
    }

    public QueueServiceClient queues() {
        return queues.get();
    }

    public BlobServiceClient blobs() {
        return blobs.get();
    }

    /** One table's client, built on its first use: what a service keeps instead of the client itself. */
    public Supplier<TableClient> table(String name) {
        return Lazy.of(() -> tables().getTableClient(name));
    }

    /** One blob container's client, built on its first use. */
    public Supplier<BlobContainerClient> container(String name) {
        return Lazy.of(() -> blobs().getBlobContainerClient(name));
    }
}
