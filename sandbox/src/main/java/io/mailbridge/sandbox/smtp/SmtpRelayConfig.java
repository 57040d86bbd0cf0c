package io.mailbridge.sandbox.smtp;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * The relay's settings: the one user and password that may authenticate, the port (0 picks a free
 * one) and the clock that stamps what arrives (the sandbox's, so tests that move time see it).
 * {@link #toString()} never shows the password.
 */
public record SmtpRelayConfig(String username, String password, int port, Clock clock) {
    public static final String DEFAULT_USERNAME = "crm-relay@sandbox.mailbridge.test";

    public SmtpRelayConfig {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The relay needs a username and a password");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535, not " + port);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** The default user with a random password, on a free port, stamping with the system clock. */
    public static SmtpRelayConfig defaults() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return new SmtpRelayConfig(DEFAULT_USERNAME, Base64.getUrlEncoder().withoutPadding().encodeToString(secret), 0,
                Clock.systemUTC());
    }

    public SmtpRelayConfig withCredentials(String username, String password) {
        return new SmtpRelayConfig(username, password, port, clock);
    }

    public SmtpRelayConfig withPort(int port) {
        return new SmtpRelayConfig(username, password, port, clock);
    }

    public SmtpRelayConfig withClock(Clock clock) {
        return new SmtpRelayConfig(username, password, port, clock);
    }

    @Override
    public String toString() {
        return "SmtpRelayConfig[username=" + username + ", password=***, port=" + port + ", clock=" + clock + "]";
    }
}
