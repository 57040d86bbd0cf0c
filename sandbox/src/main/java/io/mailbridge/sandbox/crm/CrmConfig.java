package io.mailbridge.sandbox.crm;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The CRM stand-in's settings: the secret the app signs events with, the clock that judges their
 * timestamps (injectable for tests), how far a timestamp may be from that clock, and the port
 * (0 picks a free one). {@link #toString()} never shows the secret.
 */
public record CrmConfig(String signingSecret, Clock clock, Duration tolerance, int port) {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    public CrmConfig {
        if (signingSecret == null || signingSecret.isEmpty()) {
            throw new IllegalArgumentException("The CRM stand-in needs a signing secret");
        }
        Objects.requireNonNull(clock, "clock");
        if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535, not " + port);
        }
    }

    /** A random secret, the system clock, five minutes' tolerance, a free port. */
    public static CrmConfig defaults() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new CrmConfig(Base64.getUrlEncoder().withoutPadding().encodeToString(secret), Clock.systemUTC(),
                DEFAULT_TOLERANCE, 0);
    }

    public CrmConfig withSigningSecret(String signingSecret) {
        return new CrmConfig(signingSecret, clock, tolerance, port);
    }

    public CrmConfig withClock(Clock clock) {
        return new CrmConfig(signingSecret, clock, tolerance, port);
    }

    public CrmConfig withPort(int port) {
        return new CrmConfig(signingSecret, clock, tolerance, port);
    }

    @Override
    public String toString() {
        return "CrmConfig[signingSecret=***, clock=" + clock + ", tolerance=" + tolerance + ", port=" + port + "]";
    }
}
