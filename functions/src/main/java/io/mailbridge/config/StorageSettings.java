package io.mailbridge.config;

import java.net.URI;

/** How the app reaches its storage account: a connection string locally, its managed identity in Azure. */
public sealed interface StorageSettings {

    /** A connection string (Azurite locally). Its account key is a secret, so toString leaves it out. */
    record ConnectionString(String value) implements StorageSettings {
        @Override
        public String toString() {
            return "ConnectionString[account key hidden]";
        }
    }

    /** Identity-based access, as Azure Functions' AzureWebJobsStorage__* settings describe it. */
    record ManagedIdentity(URI tableServiceUri, URI queueServiceUri, URI blobServiceUri) implements StorageSettings {}

    static StorageSettings read(SettingsReader reader) {
        var connectionString = reader.optional(AppSetting.STORAGE_CONNECTION_STRING);
        if (connectionString.isPresent()) {
            return new ConnectionString(connectionString.get());
        }
        var tables = reader.optionalHttpUri(AppSetting.STORAGE_TABLE_SERVICE_URI);
        var queues = reader.optionalHttpUri(AppSetting.STORAGE_QUEUE_SERVICE_URI);
        var blobs = reader.optionalHttpUri(AppSetting.STORAGE_BLOB_SERVICE_URI);
        if (tables.isPresent() && queues.isPresent() && blobs.isPresent()) {
            return new ManagedIdentity(tables.get(), queues.get(), blobs.get());
        }
        reader.problem(AppSetting.STORAGE_CONNECTION_STRING.key() + " is missing: expected a storage connection string, or "
                + AppSetting.STORAGE_TABLE_SERVICE_URI.key() + ", " + AppSetting.STORAGE_QUEUE_SERVICE_URI.key() + " and "
                + AppSetting.STORAGE_BLOB_SERVICE_URI.key() + " for access with the app's managed identity");
        return null;
    }
}
