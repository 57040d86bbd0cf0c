package io.mailbridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class HealthCheckIT {

    @Test
    void healthyWhenEveryTableAndQueueExists(Azurite azurite) {
        StorageClients storage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
        StorageProvisioning.createAll(storage);

        HealthReport report = new HealthCheck(storage, Region.EU).check();

        assertTrue(report.healthy(), report.toString());
        assertEquals(Region.EU, report.region());
        assertEquals("ok", report.checks().get("tables"));
        assertEquals(StorageNames.QUEUES.isEmpty() ? null : "ok", report.checks().get("queues"));
    }

    @Test
    void namesTheTablesADeploymentForgot(Azurite azurite) {
        StorageClients storage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
        StorageProvisioning.createAll(storage);
        storage.tables().deleteTable(StorageNames.SIGN_IN_STATES_TABLE);
        try {
            HealthReport report = new HealthCheck(storage, Region.US).check();

            assertFalse(report.healthy());
            assertEquals("missing tables: " + StorageNames.SIGN_IN_STATES_TABLE, report.checks().get("tables"));
        } finally {
            StorageProvisioning.create(storage, List.of(StorageNames.SIGN_IN_STATES_TABLE), List.of());
        }
    }

    @Test
    void unhealthyWithTheReasonWhenStorageDoesNotAnswer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String connection = "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME + ";AccountKey=" + Azurite.ACCOUNT_KEY
                + ";TableEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1"
                + ";QueueEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1;";
        StorageClients storage = StorageClients.connect(new StorageSettings.ConnectionString(connection));

        HealthReport report = new HealthCheck(storage, Region.US).check();

        assertFalse(report.healthy());
        assertTrue(report.checks().containsKey("tables"));
        report.checks().values().forEach(reason -> assertTrue(reason.startsWith("unreachable: "), report.checks().toString()));
        assertFalse(report.toString().contains(Azurite.ACCOUNT_KEY));
    }
}
