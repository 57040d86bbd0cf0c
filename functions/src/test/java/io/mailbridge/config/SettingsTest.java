package io.mailbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final String SECRET_CONNECTION =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleQ==;";

    @Test
    void readsAConnectionStringAndTheStampRegion() {
        Settings settings = Settings.from(Map.of(
                "AzureWebJobsStorage", SECRET_CONNECTION,
                "MAILBRIDGE_STAMP_REGION", "eu"));

        assertEquals(new StorageSettings.ConnectionString(SECRET_CONNECTION), settings.storage());
        assertEquals(Region.EU, settings.stampRegion());
    }

    @Test
    void usesTheManagedIdentityWhenNoConnectionStringIsSet() {
        Settings settings = Settings.from(Map.of(
                "AzureWebJobsStorage__tableServiceUri", "https://acct.table.core.windows.net",
                "AzureWebJobsStorage__queueServiceUri", "https://acct.queue.core.windows.net",
                "MAILBRIDGE_STAMP_REGION", "US"));

        var identity = assertInstanceOf(StorageSettings.ManagedIdentity.class, settings.storage());
        assertEquals(URI.create("https://acct.table.core.windows.net"), identity.tableServiceUri());
        assertEquals(URI.create("https://acct.queue.core.windows.net"), identity.queueServiceUri());
    }

    @Test
    void namesEveryMissingSettingAndWhatItExpectsInOneFailure() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(Map.of()));

        assertEquals(2, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().contains("AzureWebJobsStorage is missing: expected a storage connection string"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_STAMP_REGION is missing: expected one of [US, EU, AU]"));
    }

    @Test
    void namesAMalformedSettingWithoutEchoingItsValue() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(Map.of(
                "AzureWebJobsStorage__tableServiceUri", "not a uri with secret-ish-value",
                "AzureWebJobsStorage__queueServiceUri", "https://acct.queue.core.windows.net",
                "MAILBRIDGE_STAMP_REGION", "Mars")));

        assertTrue(error.getMessage().contains("MAILBRIDGE_STAMP_REGION is malformed: expected one of [US, EU, AU]"));
        assertTrue(error.getMessage().contains("AzureWebJobsStorage__tableServiceUri is malformed: expected an absolute http(s) URI"));
        assertFalse(error.getMessage().contains("Mars"));
        assertFalse(error.getMessage().contains("secret-ish-value"));
    }

    @Test
    void treatsABlankSettingAsMissing() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(Map.of(
                "AzureWebJobsStorage", "  ", "MAILBRIDGE_STAMP_REGION", "US")));

        assertTrue(error.getMessage().contains("AzureWebJobsStorage is missing"));
    }

    @Test
    void neverPrintsTheAccountKey() {
        Settings settings = Settings.from(Map.of(
                "AzureWebJobsStorage", SECRET_CONNECTION, "MAILBRIDGE_STAMP_REGION", "AU"));

        assertFalse(settings.toString().contains("c2VjcmV0LWtleQ=="), settings.toString());
    }
}
