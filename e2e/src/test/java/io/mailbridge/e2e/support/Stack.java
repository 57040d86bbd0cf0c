package io.mailbridge.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.devhost.LocalStack;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole product for end-to-end tests: a real Azurite, the Microsoft 365 sandbox, the CRM
 * stand-in and the function app's US and EU stamps on the local host over https, each with its own storage
 * account in the Azurite, on free ports. One stack serves the whole test
 * run (MSAL4J keeps instance metadata per JVM, so one sandbox per JVM); tests keep apart by using
 * their own CRM account ids.
 */
public final class Stack implements AutoCloseable {
    public static final String MASTER_KEY = "e2e-master-key";
    public static final String FUNCTION_KEY = "e2e-function-key";

    private final Azurite azurite;
    private final LocalStack local;
    private final StorageClients storage;
    private final StorageClients euStorage;

    private Stack(Azurite azurite, LocalStack local) {
        this.azurite = azurite;
        this.local = local;
        this.storage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
        this.euStorage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.secondAccountConnectionString()));
    }

    static Stack start() {
        Map<String, String> overrides = new LinkedHashMap<>();
        // Often enough that a test sees dropped notifications healed within seconds.
        overrides.put("MAILBRIDGE_SYNC_SWEEP_SCHEDULE", "*/15 * * * * *");
        // Often enough that a test sees relay-sent mail written back into Sent Items within seconds.
        overrides.put("MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE", "*/10 * * * * *");
        // An idle queue is polled once a minute at most (host.json); tests want each step picked up within seconds.
        overrides.put("AzureFunctionsJobHost__extensions__queues__maxPollingInterval", "00:00:02");
        return start(overrides, UnaryOperator.identity());
    }

    /**
     * A stack with the sample settings overlaid by {@code overrides}, whose US stamp (app and host) reaches its
     * storage through {@code usStorageRoute} applied to the Azurite's connection string: how a benchmark counts requests.
     */
    public static Stack start(Map<String, String> overrides, UnaryOperator<String> usStorageRoute) {
        Azurite azurite = Azurite.start();
        try {
            Path trust = Files.createTempDirectory("mailbridge-e2e-trust");
            Map<String, String> settings = sampleSettings();
            settings.putAll(overrides);
            // The EU stamp as local.settings.eu.sample.json makes it, with its storage account in this Azurite.
            Map<String, String> eu = values("local.settings.eu.sample.json");
            eu.put("AzureWebJobsStorage", azurite.secondAccountConnectionString());
            LocalStack local = LocalStack.start(settings, usStorageRoute.apply(azurite.connectionString()), eu, LocalStack.Ports.free(),
                    trust, ProjectRoot.resolve("host.json"), new AccessKeys(MASTER_KEY, Map.of("default", FUNCTION_KEY)));
            return new Stack(azurite, local);
        } catch (IOException e) {
            azurite.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            azurite.close();
            throw e;
        }
    }

    /** The EU stamp's connect page for a CRM user of an EU account, with a freshly signed link. */
    public URI euConnectUrl(String accountId, String userId, String email) {
        String link = CrmLinks.connectLink(crmSecret(), accountId, userId, email, List.of("Sales", "Connect to mailbox"), "EU",
                crm().returnUrl(accountId, userId).toString(), sandbox().clock().instant());
        return euBaseUrl().resolve("api/connect?request=" + URLEncoder.encode(link, StandardCharsets.UTF_8));
    }

    /** The settings a developer starts with (local.settings.sample.json), so the tests also prove the sample works. */
    private static Map<String, String> sampleSettings() throws IOException {
        return values("local.settings.sample.json");
    }

    private static Map<String, String> values(String file) throws IOException {
        JsonNode values = new ObjectMapper().readTree(ProjectRoot.resolve(file).toFile()).get("Values");
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

    /** The US stamp's base URL. */
    public URI appBaseUrl() {
        return local.host().baseUri();
    }

    /** The EU stamp's base URL. */
    public URI euBaseUrl() {
        return local.euStamp().host().baseUri();
    }

    /** The US stamp's storage account. */
    public StorageClients storage() {
        return storage;
    }

    /** The EU stamp's storage account. */
    public StorageClients euStorage() {
        return euStorage;
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
