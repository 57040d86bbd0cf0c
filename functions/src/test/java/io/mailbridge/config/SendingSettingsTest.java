package io.mailbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.support.TestSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outbound settings: Exchange Online's limits and port 587 unless set, the relay's password never shown. */
class SendingSettingsTest {

    @Test
    void defaultsToExchangeOnlinesLimitsAndTheSubmissionPort() {
        Settings settings = Settings.from(TestSettings.values());

        assertEquals(new Settings.SendingLimits(10_000, 30), settings.sendingLimits());
        assertEquals(2525, settings.smtp().port());
        Map<String, String> withoutPort = TestSettings.values();
        withoutPort.remove("MAILBRIDGE_SMTP_PORT");
        assertEquals(587, Settings.from(withoutPort).smtp().port());
    }

    @Test
    void readsTheRelayAndTheLimits() {
        Map<String, String> values = TestSettings.values();
        values.put("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY", "50");
        values.put("MAILBRIDGE_SEND_MESSAGES_PER_MINUTE", "100");
        values.put("MAILBRIDGE_SMTP_EXTRA_CA_CERTIFICATES", ".sandbox/mailbridge-sandbox-ca.pem");

        Settings settings = Settings.from(values);

        assertEquals(new Settings.SendingLimits(50, 100), settings.sendingLimits());
        assertEquals("127.0.0.1", settings.smtp().host());
        assertEquals("crm-relay@mailbridge.test", settings.smtp().username());
        assertEquals("bounces@mailbridge.test", settings.smtp().envelopeSender());
        assertEquals(Optional.of(Path.of(".sandbox/mailbridge-sandbox-ca.pem")), settings.smtp().extraCaCertificates());
        assertFalse(settings.smtp().toString().contains("test-relay-password"), settings.smtp().toString());
    }

    @Test
    void namesMalformedValuesWithoutEchoingThem() {
        Map<String, String> values = TestSettings.values();
        values.put("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY", "0");
        values.put("MAILBRIDGE_SMTP_PORT", "smtp-port-70000");
        values.put("MAILBRIDGE_SMTP_ENVELOPE_SENDER", "bounces-at-nowhere");

        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> Settings.from(values));

        assertTrue(error.problems().contains("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY is malformed: expected a whole number from 1 to 1000000"),
                error.getMessage());
        assertTrue(error.problems().contains("MAILBRIDGE_SMTP_PORT is malformed: expected a TCP port from 1 to 65535"), error.getMessage());
        assertTrue(error.problems().contains("MAILBRIDGE_SMTP_ENVELOPE_SENDER is malformed: expected a mail address such as bounces@crm.example.com"),
                error.getMessage());
        assertFalse(error.getMessage().contains("smtp-port-70000") || error.getMessage().contains("bounces-at-nowhere"));
    }
}
