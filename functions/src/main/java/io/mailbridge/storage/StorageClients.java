package io.mailbridge.storage;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import io.mailbridge.config.StorageSettings;

/** The service clients of the app's storage account, built once per process. */
public record StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs) {

    public static StorageClients connect(StorageSettings settings) {
        TableServiceClientBuilder tables = new TableServiceClientBuilder();
        // Queue triggers decode base64 by default (host.json messageEncoding), so producers encode the same way.
        QueueServiceClientBuilder queues = new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64);
        BlobServiceClientBuilder blobs = new BlobServiceClientBuilder();
        if (settings instanceof StorageSettings.ConnectionString c) {
            tables.connectionString(c.value());
            queues.connectionString(c.value());
            blobs.connectionString(c.value());
        } else if (settings instanceof StorageSettings.ManagedIdentity m) {
            var credential = new DefaultAzureCredentialBuilder().build();
            tables.endpoint(m.tableServiceUri().toString()).credential(credential);
            queues.endpoint(m.queueServiceUri().toString()).credential(credential);
            blobs.endpoint(m.blobServiceUri().toString()).credential(credential);
        }
        return new StorageClients(tables.buildClient(), queues.buildClient(), blobs.buildClient());
    }
}
