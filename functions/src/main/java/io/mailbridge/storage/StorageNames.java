package io.mailbridge.storage;

import java.util.List;

/**
 * The tables and queues the app uses. Queue names are constants so trigger annotations can name
 * them; Bicep creates the same set in Azure and {@link StorageProvisioning} creates it locally.
 */
public final class StorageNames {
    public static final String CONNECTIONS_TABLE = "connections";
    public static final String SIGN_IN_STATES_TABLE = "signinstates";

    public static final List<String> TABLES = List.of(CONNECTIONS_TABLE, SIGN_IN_STATES_TABLE);
    public static final List<String> QUEUES = List.of();

    private StorageNames() {}
}
