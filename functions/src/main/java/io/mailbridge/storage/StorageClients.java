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
import java.net.URI;

/** The service clients of the app's storage account, built once per process. */
public record StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs) {

    public static StorageClients connect(StorageSettings settings) {
        TableServiceClientBuilder tables = new TableServiceClientBuilder();
        // Queue triggers decode base64 by default (host.json messageEncoding), so producers encode the same way.
        QueueServiceClientBuilder queues = new QueueServiceClientBuilder().messageEncoding(QueueMessageEncoding.BASE64);
        BlobServiceClientBuilder blobs = new BlobServiceClientBuilder();
        switch (settings) {
            case StorageSettings.ConnectionString(String value) -> {
                tables.connectionString(value);
                queues.connectionString(value);
                blobs.connectionString(value);
            }
            case StorageSettings.ManagedIdentity(URI tableService, URI queueService, URI blobService) -> {
                var credential = new DefaultAzureCredentialBuilder().build();
                tables.endpoint(tableService.toString()).credential(credential);
                queues.endpoint(queueService.toString()).credential(credential);
                blobs.endpoint(blobService.toString()).credential(credential);
            }
        }
        return new StorageClients(tables.buildClient(), queues.buildClient(), blobs.buildClient());
    }
}
