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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole product for end-to-end tests: a real Azurite, the Microsoft 365 sandbox, the CRM
 * stand-in and the function app on the local host, on free ports. One stack serves the whole test
 * run (MSAL4J keeps instance metadata per JVM, so one sandbox per JVM); tests keep apart by using
 * their own CRM account ids.
 */
public final class Stack implements AutoCloseable {
    public static final String MASTER_KEY = "e2e-master-key";
    public static final String FUNCTION_KEY = "e2e-function-key";

    private final Azurite azurite;
    private final LocalStack local;
    private final StorageClients storage;

    private Stack(Azurite azurite, LocalStack local) {
        this.azurite = azurite;
        this.local = local;
        this.storage = StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString()));
    }

    static Stack start() {
        Azurite azurite = Azurite.start();
        try {
            Path trust = Files.createTempDirectory("mailbridge-e2e-trust");
            LocalStack local = LocalStack.start(sampleSettings(), azurite.connectionString(), LocalStack.Ports.free(), trust,
                    ProjectRoot.resolve("host.json"), new AccessKeys(MASTER_KEY, Map.of("default", FUNCTION_KEY)));
            return new Stack(azurite, local);
        } catch (IOException e) {
            azurite.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            azurite.close();
            throw e;
        }
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
