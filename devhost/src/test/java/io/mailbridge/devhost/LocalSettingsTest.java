package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theEuSampleMakesAnEuStampWithItsOwnPortAndStorageAccountInTheSameAzurite() {
        LocalSettings us = LocalSettings.read(ProjectRoot.resolve("local.settings.sample.json"));
        LocalSettings eu = LocalSettings.read(ProjectRoot.resolve("local.settings.eu.sample.json"));

        assertEquals("EU", eu.values().get("MAILBRIDGE_STAMP_REGION"));
        assertEquals("false", eu.values().get("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED"));
        assertEquals(7072, eu.localHttpPort());
        assertEquals("https://localhost:7072", eu.values().get("MAILBRIDGE_PUBLIC_BASE_URL"));
        assertFalse(eu.values().get("MAILBRIDGE_TOKEN_ENCRYPTION_KEY").equals(us.values().get("MAILBRIDGE_TOKEN_ENCRYPTION_KEY")));
        assertEquals("devstoreaccount1:Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "mailbridgeeu:bWFpbGJyaWRnZS1ldS1zdGFtcC1sb2NhbC1henVyaXRlLWFjY291bnQta2V5LW5vdC1hLXNlY3JldC0wMTIz",
                Azurite.accounts(List.of(us.values().get("AzureWebJobsStorage"), eu.values().get("AzureWebJobsStorage"))));
    }

    @Test
    void aStorageConnectionWithoutAnAccountIsRefusedWithoutQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Azurite.accounts(List.of("AccountKey=secret-key;BlobEndpoint=http://127.0.0.1:10000/x")));
        assertFalse(e.getMessage().contains("secret-key"), e.getMessage());
    }

    @Test
    void readsTheCheckedInSample() {
        LocalSettings settings = LocalSettings.read(ProjectRoot.resolve("local.settings.sample.json"));

        assertEquals("UseDevelopmentStorage=true", settings.values().get("AzureWebJobsStorage"));
        assertEquals(7071, settings.localHttpPort());
        assertEquals("local-master-key", settings.keys().masterKey());
        assertEquals("local-function-key", settings.keys().functionKeys().get("default"));
    }

    @Test
    void readsValuesPortAndKeys() throws IOException {
        LocalSettings settings = LocalSettings.read(write("{\"Values\":{\"A\":\"1\",\"N\":5,\"B\":true},\"Host\":{\"LocalHttpPort\":7999},"
                + "\"DevHost\":{\"MasterKey\":\"m\",\"FunctionKeys\":{\"default\":\"d\",\"status\":\"s\"}}}"));

        assertEquals(Map.of("A", "1", "N", "5", "B", "true"), settings.values());
        assertEquals(7999, settings.localHttpPort());
        assertEquals(new AccessKeys("m", Map.of("default", "d", "status", "s")), settings.keys());
    }

    @Test
    void defaultsWithoutHostOrDevHostSections() throws IOException {
        LocalSettings settings = LocalSettings.read(write("{\"Values\":{}}"));

        assertEquals(LocalSettings.DEFAULT_HTTP_PORT, settings.localHttpPort());
        assertEquals(AccessKeys.none(), settings.keys());
    }

    @Test
    void refusesWhatItCannotReadWithoutQuotingValues() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.read(write("{\"IsEncrypted\":true,\"Values\":{}}")));
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.read(write("{\"Values\":{\"A\":{\"nested\":1}}}")));
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.read(write("{\"Values\":{},\"Host\":{\"LocalHttpPort\":\"x\"}}")));
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.read(write("{\"Values\":{\"Secret\":\"sup3r-s3cret\" \"Other\":1}}")));
        assertFalse(broken.getMessage().contains("sup3r"), broken.getMessage());
        assertFalse(new LocalSettings(Map.of("Secret", "sup3r-s3cret"), 1, AccessKeys.none()).toString().contains("sup3r"));
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve("local.settings.json");
        Files.writeString(file, json);
        return file;
    }
}
