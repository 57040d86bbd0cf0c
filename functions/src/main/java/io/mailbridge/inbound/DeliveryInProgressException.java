package io.mailbridge.inbound;

import java.time.Duration;

/**
 * Another worker claimed the same mail for the same user and has not confirmed it yet; it may have
 * died. Nothing was delivered by this caller: try again after {@link #retryAfter()}, when the claim
 * can be taken over if it was not confirmed.
 */
public final class DeliveryInProgressException extends RuntimeException {
    private final Duration retryAfter;

    public DeliveryInProgressException(Duration retryAfter) {
        super("Another worker is delivering this mail; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter.isNegative() ? Duration.ofSeconds(1) : retryAfter.plusSeconds(1);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
