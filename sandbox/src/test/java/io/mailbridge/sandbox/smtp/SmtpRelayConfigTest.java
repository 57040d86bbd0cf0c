package io.mailbridge.sandbox.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SmtpRelayConfigTest {

    @Test
    void defaultsPickAFreePortAndARandomPassword() {
        SmtpRelayConfig one = SmtpRelayConfig.defaults();
        SmtpRelayConfig two = SmtpRelayConfig.defaults();

        assertEquals(0, one.port());
        assertEquals(SmtpRelayConfig.DEFAULT_USERNAME, one.username());
        assertNotEquals(one.password(), two.password());
    }

    @Test
    void toStringNeverShowsThePassword() {
        SmtpRelayConfig config = SmtpRelayConfig.defaults().withCredentials("crm", "hunter2-secret");

        assertFalse(config.toString().contains("hunter2-secret"), config.toString());
    }

    @Test
    void refusesMissingCredentialsAndImpossiblePorts() {
        SmtpRelayConfig defaults = SmtpRelayConfig.defaults();

        assertThrows(IllegalArgumentException.class, () -> defaults.withCredentials(" ", "p"));
        assertThrows(IllegalArgumentException.class, () -> defaults.withCredentials("u", ""));
        assertThrows(IllegalArgumentException.class, () -> defaults.withPort(70_000));
    }
}
