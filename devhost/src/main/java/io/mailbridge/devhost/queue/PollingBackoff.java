package io.mailbridge.devhost.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host's randomized exponential backoff between polls of an empty queue: from 100 ms, adding
 * 2^(n-1) x 100 ms (randomized by ±20 %) after each empty poll, up to maxPollingInterval; back to
 * 100 ms once a message was found.
 */
final class PollingBackoff {
    private static final double RANDOMIZATION = 0.2;

    private final Duration minimum;
    private final Duration maximum;
    private Duration current;
    private int exponent;

    PollingBackoff(Duration minimum, Duration maximum) {
        this.minimum = minimum;
        this.maximum = maximum;
        this.current = minimum;
    }

    Duration next(boolean foundMessageSinceLastDelay) {
        if (foundMessageSinceLastDelay) {
            current = minimum;
            exponent = 1;
        } else if (!current.equals(maximum)) {
            Duration backoff = minimum;
            if (exponent > 0) {
                double factor = ThreadLocalRandom.current().nextDouble(1 - RANDOMIZATION, 1 + RANDOMIZATION);
                backoff = backoff.plusMillis((long) (factor * Math.pow(2, exponent - 1) * minimum.toMillis()));
            }
            if (backoff.compareTo(maximum) < 0) {
                current = backoff;
                exponent++;
            } else {
                current = maximum;
            }
        }
        return current;
    }
}
