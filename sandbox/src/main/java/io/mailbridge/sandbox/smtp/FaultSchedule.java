package io.mailbridge.sandbox.smtp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/** The faults still to come: first those queued for the next messages, then a standing one until reset. */
final class FaultSchedule {
    private final Deque<SmtpFault> queued = new ArrayDeque<>();
    private SmtpFault standing;

    synchronized void queue(int count, SmtpFault fault) {
        Objects.requireNonNull(fault, "fault");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        for (int i = 0; i < count; i++) {
            queued.add(fault);
        }
    }

    synchronized void standUntilReset(SmtpFault fault) {
        standing = Objects.requireNonNull(fault, "fault");
    }

    /** The fault for the message at hand, if any; queued faults are used up one per message. */
    synchronized Optional<SmtpFault> take() {
        SmtpFault next = queued.poll();
        return Optional.ofNullable(next != null ? next : standing);
    }

    synchronized void reset() {
        queued.clear();
        standing = null;
    }
}
