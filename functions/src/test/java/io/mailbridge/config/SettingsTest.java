package io.mailbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.support.TestSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final String SECRET_CONNECTION =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleQ==;";

    @Test
    void readsEverySetting() {
        Map<String, String> values = TestSettings.with("AzureWebJobsStorage", SECRET_CONNECTION);
        values.put("MAILBRIDGE_STAMP_REGION", "us");
        values.put("MAILBRIDGE_CRM_ORIGINS", "https://crm.example.com, http://localhost:7080");
        values.put("MAILBRIDGE_TOKEN_PREVIOUS_KEYS", "k0:" + "A".repeat(43) + "=");

        Settings settings = Settings.from(values);

        assertEquals(new StorageSettings.ConnectionString(SECRET_CONNECTION), settings.storage());
        assertEquals(Region.US, settings.stamp().region());
        assertEquals(URI.create("http://localhost:7071"), settings.stamp().publicBaseUrl());
        assertTrue(settings.stamp().restrictedProfileAllowed());
        assertEquals(List.of(URI.create("https://crm.example.com"), URI.create("http://localhost:7080")), settings.crm().origins());
        assertEquals("k1", settings.tokenKeys().current().id());
        assertEquals("k0", settings.tokenKeys().previous().get(0).id());
        assertEquals(URI.create("https://127.0.0.1:8443/v1.0"), settings.microsoft().graphBaseUrl());
        assertTrue(settings.microsoft().instanceDiscovery().isEmpty());
        assertTrue(settings.microsoft().extraCaCertificates().isEmpty());
    }

    @Test
    void usesTheManagedIdentityWhenNoConnectionStringIsSet() {
        Map<String, String> values = TestSettings.values();
        values.remove("AzureWebJobsStorage");
        values.put("AzureWebJobsStorage__tableServiceUri", "https://acct.table.core.windows.net");
        values.put("AzureWebJobsStorage__queueServiceUri", "https://acct.queue.core.windows.net");
        values.put("AzureWebJobsStorage__blobServiceUri", "https://acct.blob.core.windows.net");

        var identity = assertInstanceOf(StorageSettings.ManagedIdentity.class, Settings.from(values).storage());

        assertEquals(URI.create("https://acct.table.core.windows.net"), identity.tableServiceUri());
        assertEquals(URI.create("https://acct.queue.core.windows.net"), identity.queueServiceUri());
        assertEquals(URI.create("https://acct.blob.core.windows.net"), identity.blobServiceUri());
    }

    @Test
    void namesEveryMissingRequiredSettingAndWhatItExpectsInOneFailure() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(Map.of()));

        for (AppSetting setting : AppSetting.values()) {
            boolean optional = setting == AppSetting.EXTRA_CA_CERTIFICATES || setting == AppSetting.TOKEN_PREVIOUS_KEYS
                    || setting == AppSetting.ENTRA_INSTANCE_DISCOVERY || setting.key().startsWith("AzureWebJobsStorage__")
                    || setting == AppSetting.SEND_RECIPIENTS_PER_DAY || setting == AppSetting.SEND_MESSAGES_PER_MINUTE
                    || setting == AppSetting.SMTP_PORT || setting == AppSetting.SMTP_EXTRA_CA_CERTIFICATES
                    || setting == AppSetting.BRAND_NAME || setting == AppSetting.BRAND_LOGO_URL;
            assertEquals(!optional, error.getMessage().contains(setting.key() + " is missing: expected "),
                    setting.key() + " in:\n" + error.getMessage());
        }
        assertTrue(error.getMessage().contains("MAILBRIDGE_STAMP_REGION is missing: expected one of [US, EU, AU]"));
    }

    @Test
    void namesMalformedSettingsWithoutEchoingTheirValues() {
        Map<String, String> values = TestSettings.values();
        values.put("MAILBRIDGE_STAMP_REGION", "Mars");
        values.put("MAILBRIDGE_PUBLIC_BASE_URL", "not a uri with secret-ish-value");
        values.put("MAILBRIDGE_CRM_SIGNING_SECRET", "short-secret-value");
        values.put("MAILBRIDGE_TOKEN_ENCRYPTION_KEY", "k1:dG9vLXNob3J0");
        values.put("MAILBRIDGE_CRM_ORIGINS", "https://crm.example.com/with/path");
        values.put("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED", "yes");

        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(values));

        assertEquals(6, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().contains("MAILBRIDGE_STAMP_REGION is malformed: expected one of [US, EU, AU]"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_PUBLIC_BASE_URL is malformed: expected an absolute http(s) URI"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_CRM_SIGNING_SECRET is malformed: expected a secret of at least 32 characters"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_TOKEN_ENCRYPTION_KEY is malformed"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_CRM_ORIGINS is malformed"));
        assertTrue(error.getMessage().contains("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED is malformed: expected true or false"));
        for (String secret : List.of("Mars", "secret-ish-value", "short-secret-value", "dG9vLXNob3J0")) {
            assertFalse(error.getMessage().contains(secret), error.getMessage());
        }
    }

    @Test
    void refusesTheRestrictedProfileOutsideTheUsStamp() {
        Map<String, String> values = TestSettings.with("MAILBRIDGE_STAMP_REGION", "EU");

        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(values));

        assertEquals(List.of("MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED is true, but the RESTRICTED profile is not offered in the EU"
                + " stamp: expected false"), error.problems());
    }

    @Test
    void refusesAPublicBaseUrlThatIsNotHttpsOutsideLoopback() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> Settings.from(TestSettings.with("MAILBRIDGE_PUBLIC_BASE_URL", "http://mailbridge-us.example.com")));

        assertTrue(error.problems().contains("MAILBRIDGE_PUBLIC_BASE_URL is http://mailbridge-us.example.com: outside loopback the app"
                + " must be reached over https (Graph delivers webhooks only to https URLs)"), error.getMessage());
    }

    @Test
    void acceptsHttpOnLoopbackAndHttpsOnLoopback() {
        for (String url : List.of("http://localhost:7071", "http://127.0.0.1:7071", "https://localhost:7071")) {
            assertEquals(URI.create(url), Settings.from(TestSettings.with("MAILBRIDGE_PUBLIC_BASE_URL", url)).stamp().publicBaseUrl(), url);
        }
    }

    @Test
    void refusesAKeyVaultReferenceThatAzureCouldNotResolve() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(TestSettings.with(
                "MAILBRIDGE_CRM_SIGNING_SECRET", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/crm-signing-secret/)")));

        assertEquals(List.of("MAILBRIDGE_CRM_SIGNING_SECRET is an unresolved Key Vault reference: expected the secret's value"
                + " (check that the secret exists and the app's identity may read it)"), error.problems());
    }

    @Test
    void treatsABlankSettingAsMissing() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> Settings.from(TestSettings.with("AzureWebJobsStorage", "  ")));

        assertTrue(error.getMessage().contains("AzureWebJobsStorage is missing"));
    }

    @Test
    void neverPrintsSecrets() {
        Settings settings = Settings.from(TestSettings.with("AzureWebJobsStorage", SECRET_CONNECTION));

        String text = settings.toString();
        for (String secret : List.of("c2VjcmV0LWtleQ==", TestSettings.CRM_SECRET, "test-client-secret", "AAAAAAAAAAAA", "test-relay-password")) {
            assertFalse(text.contains(secret), text);
        }
    }
}
