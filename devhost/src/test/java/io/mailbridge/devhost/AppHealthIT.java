package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real app on the devhost, wired by its composition root from the sample settings, as LocalRun runs it. */
@ExtendWith(AzuriteExtension.class)
class AppHealthIT {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void everyFunctionOfTheAppStartsAndHealthAnswers200Json(Azurite azurite) throws Exception {
        Map<String, String> values = appSettings(azurite.connectionString());
        Settings settings = Settings.from(values);
        StorageProvisioning.createAll(StorageClients.connect(settings.storage()));
        App app = new App(settings);

        try (DevHost host = DevHost.builder()
                .functionClasses(List.copyOf(app.functionClasses()))
                .injector(app)
                .hostJson(ProjectRoot.resolve("host.json"))
                .settings(values)
                .start()) {
            assertEquals(app.functionClasses().size(), host.functionDescriptions().size(), host.functionDescriptions().toString());
            HttpResponse<String> response = getHealth(host);

            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            JsonNode report = new ObjectMapper().readTree(response.body());
            assertEquals("healthy", report.get("status").asText());
            assertEquals(settings.stamp().region().name(), report.get("region").asText());
        }
    }

    @Test
    void healthAnswers503WithTheReasonWhenStorageIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME + ";AccountKey=" + Azurite.ACCOUNT_KEY
                + ";BlobEndpoint=http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT_NAME
                + ";QueueEndpoint=http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT_NAME
                + ";TableEndpoint=http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT_NAME + ";";
        Map<String, String> values = appSettings(unreachable);

        // Only the health function: queue triggers would refuse to start without their storage.
        try (DevHost host = DevHost.builder()
                .functionsIn("io.mailbridge.health", App.class.getClassLoader())
                .injector(new App(Settings.from(values)))
                .settings(values)
                .start()) {
            HttpResponse<String> response = getHealth(host);

            assertEquals(503, response.statusCode(), response.body());
            JsonNode report = new ObjectMapper().readTree(response.body());
            assertEquals("unhealthy", report.get("status").asText());
            assertTrue(report.get("checks").get("tables").asText().startsWith("unreachable"), response.body());
            assertFalse(response.body().contains(Azurite.ACCOUNT_KEY));
        }
    }

    /** The checked-in sample, on the given storage; the sandbox's CA files exist only while the sandbox runs. */
    private static Map<String, String> appSettings(String storage) {
        Map<String, String> values = new HashMap<>(LocalSettings.read(ProjectRoot.resolve("local.settings.sample.json")).values());
        values.put("AzureWebJobsStorage", storage);
        values.replaceAll((name, value) -> value.startsWith(".sandbox/") ? "" : value);
        return values;
    }

    private HttpResponse<String> getHealth(DevHost host) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(host.baseUri().resolve("/api/health")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
