package io.mailbridge.graph;

import java.time.Duration;
import java.util.Optional;

/** Microsoft could not answer now (network, 5xx, throttling): try again later, after {@link #retryAfter()} if it said. */
public final class MicrosoftUnavailableException extends MicrosoftException {
    private final Duration retryAfter;

    public MicrosoftUnavailableException(String errorCode, String message) {
        this(errorCode, message, null);
    }

    public MicrosoftUnavailableException(String errorCode, String message, Duration retryAfter) {
        super(errorCode, message);
        this.retryAfter = retryAfter;
    }

    /** How long Microsoft asked us to wait (Retry-After), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
