package io.mailbridge.sandbox.exchange;

import java.time.Duration;

/**
 * How notifications misbehave, like Graph's do in the field: dropRate loses a share of them,
 * duplicateRate sends a share twice (a "created" is followed by an "updated" for the same message),
 * delay holds each back, and reorderWindow buffers that many and sends them newest first.
 * Decisions come from a seeded random source, so a run is repeatable.
 */
public record NotificationFaults(double dropRate, double duplicateRate, Duration delay, int reorderWindow) {

    public static final NotificationFaults NONE = new NotificationFaults(0, 0, Duration.ZERO, 0);

    public NotificationFaults {
        if (dropRate < 0 || dropRate > 1 || duplicateRate < 0 || duplicateRate > 1) {
            throw new IllegalArgumentException("Rates are between 0 and 1");
        }
    }

    public NotificationFaults withDropRate(double rate) {
        return new NotificationFaults(rate, duplicateRate, delay, reorderWindow);
    }

    public NotificationFaults withDuplicateRate(double rate) {
        return new NotificationFaults(dropRate, rate, delay, reorderWindow);
    }

    public NotificationFaults withDelay(Duration by) {
        return new NotificationFaults(dropRate, duplicateRate, by, reorderWindow);
    }

    public NotificationFaults withReorderWindow(int size) {
        return new NotificationFaults(dropRate, duplicateRate, delay, size);
    }
}
