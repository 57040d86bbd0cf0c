package io.mailbridge.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.connect.ConnectCallbackFunction;
import io.mailbridge.connect.ConnectPageFunction;
import io.mailbridge.connect.ConnectStartFunction;
import io.mailbridge.devhost.DevHost;
import io.mailbridge.health.HealthFunction;
import io.mailbridge.devhost.LocalStack;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole product for end-to-end tests: a real Azurite, the Microsoft 365 sandbox, the CRM
 * stand-in and the function app on the local host over https, on free ports. One stack serves the whole test
 * run (MSAL4J keeps instance metadata per JVM, so one sandbox per JVM); tests keep apart by using
 * their own CRM account ids.
 */
public final class Stack implements AutoCloseable {
    public static final String MASTER_KEY = "e2e-master-key";
    public static final String FUNCTION_KEY = "e2e-function-key";

    private final Azurite azurite;
    private final LocalStack local;
    private final DevHost euStamp;
    private final StorageClients storage;

    private Stack(Azurite azurite, LocalStack local, DevHost euStamp) {
        this.azurite = azurite;
        this.local = local;
        this.euStamp = euStamp;
        this.storage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
    }

    static Stack start() {
        Azurite azurite = Azurite.start();
        try {
            Path trust = Files.createTempDirectory("mailbridge-e2e-trust");
            Map<String, String> settings = sampleSettings();
            // Often enough that a test sees dropped notifications healed within seconds.
            settings.put("MAILBRIDGE_SYNC_SWEEP_SCHEDULE", "*/15 * * * * *");
            // Often enough that a test sees relay-sent mail written back into Sent Items within seconds.
            settings.put("MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE", "*/10 * * * * *");
            LocalStack local = LocalStack.start(settings, azurite.connectionString(), LocalStack.Ports.free(), trust,
                    ProjectRoot.resolve("host.json"), new AccessKeys(MASTER_KEY, Map.of("default", FUNCTION_KEY)));
            return new Stack(azurite, local, startEuStamp(local));
        } catch (IOException e) {
            azurite.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            azurite.close();
            throw e;
        }
    }

    /**
     * A second stamp, in the EU, serving only its pages (its queues would compete with the US stamp's
     * on the shared Azurite): enough to see what the EU stamp refuses.
     */
    private static DevHost startEuStamp(LocalStack us) {
        Map<String, String> settings = new LinkedHashMap<>(us.settings());
        settings.put("MAILBRIDGE_STAMP_REGION", "EU");
        settings.put("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED", "false");
        int port = freePort();
        settings.put("MAILBRIDGE_PUBLIC_BASE_URL", "https://localhost:" + port);
        String publicBase = settings.get("MAILBRIDGE_PUBLIC_BASE_URL");
        us.sandbox().registerRedirectUris(publicBase + "/api/connect/callback", publicBase + "/api/connect/adminconsent");
        DevHost host = DevHost.builder()
                .functionClasses(List.of(HealthFunction.class, ConnectPageFunction.class, ConnectStartFunction.class,
                        ConnectCallbackFunction.class))
                .injector(new App(Settings.from(settings), us.sandbox().clock()))
                .hostJson(ProjectRoot.resolve("host.json"))
                .settings(settings)
                .port(port)
                .https(us.sandbox().tls().issueServerContext())
                .start();
        us.sandbox().attach(host);
        return host;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The EU stamp's connect page for a CRM user of an EU account, with a freshly signed link. */
    public java.net.URI euConnectUrl(String accountId, String userId, String email) {
        String link = CrmLinks.connectLink(crmSecret(), accountId, userId, email, List.of("Sales", "Connect to mailbox"), "EU",
                crm().returnUrl(accountId, userId).toString(), sandbox().clock().instant());
        return euStamp.baseUri().resolve("api/connect?request=" + java.net.URLEncoder.encode(link, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The settings a developer starts with (local.settings.sample.json), so the tests also prove the sample works. */
    private static Map<String, String> sampleSettings() throws IOException {
        JsonNode values = new ObjectMapper().readTree(ProjectRoot.resolve("local.settings.sample.json").toFile()).get("Values");
        Map<String, String> settings = new LinkedHashMap<>();
        values.fields().forEachRemaining(field -> settings.put(field.getKey(), field.getValue().asText()));
        return settings;
    }

    public LocalStack local() {
        return local;
    }

    public io.mailbridge.sandbox.Sandbox sandbox() {
        return local.sandbox();
    }

    public io.mailbridge.sandbox.crm.CrmStandIn crm() {
        return local.crm();
    }

    public java.net.URI appBaseUrl() {
        return local.host().baseUri();
    }

    public StorageClients storage() {
        return storage;
    }

    public String crmSecret() {
        return local.settings().get("MAILBRIDGE_CRM_SIGNING_SECRET");
    }

    @Override
    public void close() {
        local.close();
        azurite.close();
    }
}
