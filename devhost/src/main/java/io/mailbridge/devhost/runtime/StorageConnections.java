package io.mailbridge.devhost.runtime;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import java.util.Optional;

/**
 * Storage connections by setting name, resolved as the host does: the setting itself, else the
 * same name prefixed with "AzureWebJobs". Values are connection strings, including
 * "UseDevelopmentStorage=true" for Azurite on its default ports.
 */
public final class StorageConnections {
    /** The host's own storage: timer schedule status lives there. */
    public static final String HOST_STORAGE = "AzureWebJobsStorage";
    private static final String PREFIX = "AzureWebJobs";

    private final AppSettings settings;

    public StorageConnections(AppSettings settings) {
        this.settings = settings;
    }

    /** Adds a problem (naming the setting, never its value) when the connection has no connection string. */
    public void check(String connection, String functionName, StartupProblems problems) {
        if (connectionString(connection).isEmpty()) {
            problems.add(functionName, "storage connection '" + connection + "' has no connection string: set "
                    + connection + (connection.startsWith(PREFIX) ? "" : " or " + PREFIX + connection)
                    + " (identity-based connections are not supported by the devhost)");
        }
    }

    /** Messages pass through undecoded: the queue trigger decodes them per host.json messageEncoding. */
    public QueueServiceClient queues(String connection) {
        return new QueueServiceClientBuilder().connectionString(require(connection)).buildClient();
    }

    public BlobServiceClient blobs(String connection) {
        return new BlobServiceClientBuilder().connectionString(require(connection)).buildClient();
    }

    private String require(String connection) {
        return connectionString(connection)
                .orElseThrow(() -> new IllegalStateException("Storage connection '" + connection + "' has no connection string"));
    }

    private Optional<String> connectionString(String connection) {
        return settings.get(connection).or(() -> settings.get(PREFIX + connection));
    }
}
