package io.mailbridge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's notion of "now": real time shifted by an offset that tests move forward, so quota
 * windows, code, token, delta-token and subscription expiry can be crossed without sleeping.
 * Time never runs backwards: an offset only grows.
 */
public final class SandboxClock extends Clock {
    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private SandboxClock(Clock base) {
        this.base = base;
    }

    /** Real time, shiftable. */
    public static SandboxClock system() {
        return new SandboxClock(Clock.systemUTC());
    }

    /** Starts at a fixed instant and moves only when told: for unit tests of time-driven rules. */
    public static SandboxClock frozenAt(Instant start) {
        return new SandboxClock(Clock.fixed(start, ZoneOffset.UTC));
    }

    public Instant now() {
        return instant();
    }

    /** Moves the sandbox's time forward; everything time-driven sees the jump at once. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("The sandbox clock only moves forward");
        }
        offset.updateAndGet(current -> current.plus(by));
    }

    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The sandbox runs in UTC");
    }
}
