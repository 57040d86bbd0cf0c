package io.mailbridge.bcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailbridge.config.InvalidSettingsException;
import io.mailbridge.config.Settings;
import io.mailbridge.support.TestSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The BCC endpoint's settings: the gateway secret and the size limit. */
class BccSettingsTest {

    @Test
    void readsTheGatewaySecretAndTheSizeLimit() {
        Settings.Bcc bcc = Settings.from(TestSettings.with("MAILBRIDGE_BCC_MAX_MAIL_BYTES", "1048576")).bcc();

        assertEquals(TestSettings.BCC_GATEWAY_SECRET, bcc.gatewaySecret());
        assertEquals(1_048_576L, bcc.maxMailBytes());
    }

    @Test
    void theShippedLimitIs25MiB() {
        assertEquals(25L * 1024 * 1024, Settings.from(TestSettings.values()).bcc().maxMailBytes());
    }

    @Test
    void namesMissingAndMalformedSettingsWithoutTheirValues() {
        Map<String, String> values = TestSettings.values();
        values.remove("MAILBRIDGE_BCC_GATEWAY_SECRET");
        InvalidSettingsException missing = assertThrows(InvalidSettingsException.class, () -> Settings.from(values));

        values.put("MAILBRIDGE_BCC_GATEWAY_SECRET", "short-gateway-secret");
        values.put("MAILBRIDGE_BCC_MAX_MAIL_BYTES", "25MB-please");
        InvalidSettingsException malformed = assertThrows(InvalidSettingsException.class, () -> Settings.from(values));

        assertEquals(List.of("MAILBRIDGE_BCC_GATEWAY_SECRET is missing: expected a secret of at least 32 characters"), missing.problems());
        assertEquals(List.of("MAILBRIDGE_BCC_GATEWAY_SECRET is malformed: expected a secret of at least 32 characters",
                "MAILBRIDGE_BCC_MAX_MAIL_BYTES is malformed: expected a number of bytes from 1024 to 104857600"), malformed.problems());
        assertFalse(malformed.getMessage().contains("short-gateway-secret"));
        assertFalse(malformed.getMessage().contains("25MB-please"));
    }

    @Test
    void refusesALimitTheFunctionsHostWouldNeverLetThrough() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> Settings.from(TestSettings.with("MAILBRIDGE_BCC_MAX_MAIL_BYTES", "104857601")));

        assertEquals(List.of("MAILBRIDGE_BCC_MAX_MAIL_BYTES is malformed: expected a number of bytes from 1024 to 104857600"),
                error.problems());
    }

    @Test
    void neverPrintsTheGatewaySecret() {
        Settings settings = Settings.from(TestSettings.values());

        assertFalse(settings.toString().contains(TestSettings.BCC_GATEWAY_SECRET), settings.toString());
        assertEquals("Bcc[maxMailBytes=26214400, gateway secret hidden]", settings.bcc().toString());
    }
}
