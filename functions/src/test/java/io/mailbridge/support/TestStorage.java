package io.mailbridge.support;

import io.mailbridge.config.StorageSettings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.UniqueNames;
import java.util.List;

/** Storage clients on the test run's Azurite, with freshly created tables of unique names. */
public final class TestStorage {
    private TestStorage() {}

    public static StorageClients clients(Azurite azurite) {
        return StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
    }

    public static String newTable(StorageClients storage, String prefix) {
        String name = UniqueNames.next(prefix);
        StorageProvisioning.create(storage, List.of(name), List.of());
        return name;
    }

    public static String newQueue(StorageClients storage, String prefix) {
        String name = UniqueNames.next(prefix);
        StorageProvisioning.create(storage, List.of(), List.of(name));
        return name;
    }
}
