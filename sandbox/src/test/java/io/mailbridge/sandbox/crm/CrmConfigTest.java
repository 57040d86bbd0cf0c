package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrmConfigTest {

    @Test
    void defaultsToARandomSecretFiveMinutesAndAFreePort() {
        CrmConfig config = CrmConfig.defaults();

        assertEquals(Duration.ofMinutes(5), config.tolerance());
        assertEquals(0, config.port());
        assertNotEquals(config.signingSecret(), CrmConfig.defaults().signingSecret());
    }

    @Test
    void toStringNeverShowsTheSecret() {
        CrmConfig config = CrmConfig.defaults().withSigningSecret("do-not-print-me");

        assertFalse(config.toString().contains("do-not-print-me"), config.toString());
    }

    @Test
    void refusesMissingSecretAndNonPositiveTolerance() {
        assertThrows(IllegalArgumentException.class, () -> CrmConfig.defaults().withSigningSecret(""));
        assertThrows(IllegalArgumentException.class, () -> new CrmConfig("s", Clock.systemUTC(), Duration.ZERO, 0));
    }
}
