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
        Lazy<TokenCredential> credential = Lazy.of(new ManagedIdentityCredential());
        return new StorageClients(Lazy.of(new TableService(settings, credential)), Lazy.of(new QueueService(settings, credential)),
                Lazy.of(new BlobService(settings, credential)));
    }

    // The builders below are classes, not lambdas: linking a lambda loads the classes its method names, and opening the
    // SDK's signed jars for them would cost the composition root tens of milliseconds before any request needs storage.

    private record TableService(StorageSettings settings, Supplier<TokenCredential> credential) implements Supplier<TableServiceClient> {
        @Override
        public TableServiceClient get() {
            return switch (settings) {
                case StorageSettings.ConnectionString(String value) -> new TableServiceClientBuilder().connectionString(value).buildClient();
                case StorageSettings.ManagedIdentity identity -> new TableServiceClientBuilder().endpoint(identity.tableServiceUri().toString())
                        .credential(credential.get()).buildClient();
            };
        }
    }

    /** Queue triggers decode base64 by default (host.json messageEncoding), so producers encode the same way. */
    private record QueueService(StorageSettings settings, Supplier<TokenCredential> credential) implements Supplier<QueueServiceClient> {
        @Override
        public QueueServiceClient get() {
            QueueServiceClientBuilder builder = new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64);
            return switch (settings) {
                case StorageSettings.ConnectionString(String value) -> builder.connectionString(value).buildClient();
                case StorageSettings.ManagedIdentity identity -> builder.endpoint(identity.queueServiceUri().toString())
                        .credential(credential.get()).buildClient();
            };
        }
    }

    private record BlobService(StorageSettings settings, Supplier<TokenCredential> credential) implements Supplier<BlobServiceClient> {
        @Override
        public BlobServiceClient get() {
            return switch (settings) {
                case StorageSettings.ConnectionString(String value) -> new BlobServiceClientBuilder().connectionString(value).buildClient();
                case StorageSettings.ManagedIdentity identity -> new BlobServiceClientBuilder().endpoint(identity.blobServiceUri().toString())
                        .credential(credential.get()).buildClient();
            };
        }
    }

    /** The app's managed identity, built once for all three services and only when one of them uses it. */
    private static final class ManagedIdentityCredential implements Supplier<TokenCredential> {
        @Override
        public TokenCredential get() {
            return new DefaultAzureCredentialBuilder().build();
        }
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
