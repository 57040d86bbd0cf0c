package io.mailbridge.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.support.TestSettings;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stamp that others can reach refuses to start with the public sample secrets or guessable ones. */
class StampSecretsTest {
    private static final String PUBLIC_URL = "https://mailbridge-us.example.com";
    private static final List<AppSetting> TEXT_SECRETS = List.of(AppSetting.CRM_SIGNING_SECRET, AppSetting.BCC_GATEWAY_SECRET,
            AppSetting.ENTRA_CLIENT_SECRET, AppSetting.SMTP_PASSWORD);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Map<String, String> sampleValues() throws IOException {
        JsonNode values = new ObjectMapper().readTree(ProjectRoot.path().resolve("local.settings.sample.json").toFile()).path("Values");
        Map<String, String> settings = new HashMap<>();
        values.fields().forEachRemaining(field -> settings.put(field.getKey(), field.getValue().asText()));
        return settings;
    }

    /** A complete set of settings with strong secrets of its own, served at {@code baseUrl}. */
    private static Map<String, String> strong(String baseUrl) {
        Map<String, String> values = TestSettings.with("MAILBRIDGE_PUBLIC_BASE_URL", baseUrl);
        TEXT_SECRETS.forEach(setting -> values.put(setting.key(), randomText()));
        values.put(AppSetting.TOKEN_ENCRYPTION_KEY.key(), "k1:" + Base64.getEncoder().encodeToString(randomBytes()));
        return values;
    }

    private static String randomText() {
        return HexFormat.of().formatHex(randomBytes());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static List<String> problems(Map<String, String> values) {
        return assertThrows(InvalidSettingsException.class, () -> Settings.from(values)).problems();
    }

    @Test
    void everySecretInTheSampleFileIsOnTheCompiledList() throws IOException {
        Map<String, String> sample = sampleValues();
        for (AppSetting setting : List.of(AppSetting.CRM_SIGNING_SECRET, AppSetting.BCC_GATEWAY_SECRET, AppSetting.ENTRA_CLIENT_SECRET,
                AppSetting.SMTP_PASSWORD, AppSetting.TOKEN_ENCRYPTION_KEY)) {
            assertTrue(StampSecrets.SAMPLE_VALUES.contains(sample.get(setting.key())), () -> "local.settings.sample.json has a "
                    + setting.key() + " that " + StampSecrets.class.getSimpleName() + ".SAMPLE_VALUES does not list: add it there");
        }
        for (String previous : sample.getOrDefault(AppSetting.TOKEN_PREVIOUS_KEYS.key(), "").split(",")) {
            assertTrue(previous.isBlank() || StampSecrets.SAMPLE_VALUES.contains(previous.trim()),
                    "a sample previous token key is missing from StampSecrets.SAMPLE_VALUES");
        }
    }

    @Test
    void theSampleSettingsStartOnLoopbackAddresses() throws IOException {
        for (String url : List.of("http://localhost:7071", "http://127.0.0.1:7071", "http://127.8.9.10", "http://[::1]:7071")) {
            Map<String, String> sample = sampleValues();
            sample.put("MAILBRIDGE_PUBLIC_BASE_URL", url);
            assertDoesNotThrow(() -> Settings.from(sample), url);
        }
    }

    @Test
    void theSampleSecretsOnAPublicStampFailNamingEachSettingButNoValue() throws IOException {
        Map<String, String> sample = sampleValues();
        sample.put("MAILBRIDGE_PUBLIC_BASE_URL", PUBLIC_URL);

        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(sample));

        for (AppSetting setting : List.of(AppSetting.CRM_SIGNING_SECRET, AppSetting.BCC_GATEWAY_SECRET, AppSetting.ENTRA_CLIENT_SECRET,
                AppSetting.SMTP_PASSWORD, AppSetting.TOKEN_ENCRYPTION_KEY)) {
            assertTrue(error.problems().contains(setting.key() + " is the sample value from local.settings.sample.json, which anyone"
                    + " can read: set a secret of your own on a stamp whose MAILBRIDGE_PUBLIC_BASE_URL is not a loopback address"),
                    () -> setting.key() + " not named in " + error.problems());
        }
        StampSecrets.SAMPLE_VALUES.forEach(value -> assertFalse(error.getMessage().contains(value), "a secret leaked into the message"));
        assertFalse(error.getMessage().contains("bG9jYWwtb25seS10b2tlbi1rZXktMzItYnl0ZXMhISE"));
    }

    @Test
    void strongSecretsStartOnAPublicStamp() {
        assertDoesNotThrow(() -> Settings.from(strong(PUBLIC_URL)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost.example.com", "https://127.0.0.1.nip.io", "https://10.0.0.4", "https://[::2]"})
    void hostsThatOnlyLookLikeLoopbackAreChecked(String url) throws IOException {
        Map<String, String> sample = sampleValues();
        sample.put("MAILBRIDGE_PUBLIC_BASE_URL", url);

        assertFalse(problems(sample).isEmpty());
    }

    @Test
    void textSecretsOfAFewRepeatedCharactersAreTooWeak() {
        for (AppSetting setting : TEXT_SECRETS) {
            for (String weak : List.of("a".repeat(40), "abababababababababababababababababab", "1234567123456712345671234567123456")) {
                Map<String, String> values = strong(PUBLIC_URL);
                values.put(setting.key(), weak);

                assertEquals(List.of(setting.key() + " is too weak: expected a random secret with at least 8 distinct characters"),
                        problems(values), setting.key());
            }
        }
    }

    @Test
    void tokenKeysAreJudgedByTheirBytes() {
        Map<String, String> zeros = strong(PUBLIC_URL);
        zeros.put(AppSetting.TOKEN_ENCRYPTION_KEY.key(), TestSettings.TOKEN_KEY);
        Map<String, String> renamedSample = strong(PUBLIC_URL);
        renamedSample.put(AppSetting.TOKEN_ENCRYPTION_KEY.key(), "prod7:bG9jYWwtb25seS10b2tlbi1rZXktMzItYnl0ZXMhISE=");
        byte[] fewValues = new byte[32];
        Arrays.fill(fewValues, 16, 32, (byte) 7);
        Map<String, String> weakPrevious = strong(PUBLIC_URL);
        weakPrevious.put(AppSetting.TOKEN_PREVIOUS_KEYS.key(), "k0:" + Base64.getEncoder().encodeToString(randomBytes())
                + ",k00:" + Base64.getEncoder().encodeToString(fewValues));

        String tooWeak = " is too weak: expected 32 random bytes, with at least 16 distinct byte values";
        assertEquals(List.of("MAILBRIDGE_TOKEN_ENCRYPTION_KEY" + tooWeak), problems(zeros));
        assertEquals(List.of("MAILBRIDGE_TOKEN_ENCRYPTION_KEY is the sample value from local.settings.sample.json, which anyone can"
                + " read: set a secret of your own on a stamp whose MAILBRIDGE_PUBLIC_BASE_URL is not a loopback address"),
                problems(renamedSample));
        assertEquals(List.of("MAILBRIDGE_TOKEN_PREVIOUS_KEYS" + tooWeak), problems(weakPrevious));
    }
}
