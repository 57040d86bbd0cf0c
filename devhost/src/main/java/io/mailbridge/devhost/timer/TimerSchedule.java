package io.mailbridge.devhost.timer;

import io.mailbridge.devhost.runtime.TimeSpans;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A timer trigger's schedule, in UTC: an NCRONTAB expression or a constant TimeSpan interval. */
interface TimerSchedule {

    /** The first occurrence strictly after {@code time}. */
    Instant nextAfter(Instant time);

    /** The "AdjustForDST" the host reports in the timer JSON: true for cron, false for intervals. */
    boolean adjustsForDst();

    /** The host keeps no schedule status for schedules that fire more often than once a minute. */
    boolean firesMoreThanOncePerMinute();

    /**
     * Reads the expression as the host does: cron first (5 fields, or 6 with seconds first), then TimeSpan.
     *
     * @throws IllegalArgumentException with the host's message, and the cron parser's reason when it looks like cron
     */
    static TimerSchedule parse(String expression) {
        try {
            return CronSchedule.parse(expression);
        } catch (IllegalArgumentException cronProblem) {
            Optional<Duration> interval = TimeSpans.parse(expression);
            if (interval.isPresent() && !interval.get().isZero()) {
                return new ConstantSchedule(interval.get());
            }
            boolean looksLikeCron = expression.trim().contains(" ");
            throw new IllegalArgumentException("The schedule expression '" + expression
                    + "' was not recognized as a valid cron expression or timespan string"
                    + (looksLikeCron ? " (" + cronProblem.getMessage() + ")" : ""));
        }
    }

    /** A constant interval, counted from each invocation. */
    record ConstantSchedule(Duration interval) implements TimerSchedule {
        @Override
        public Instant nextAfter(Instant time) {
            return time.plus(interval);
        }

        @Override
        public boolean adjustsForDst() {
            return false;
        }

        @Override
        public boolean firesMoreThanOncePerMinute() {
            return interval.compareTo(Duration.ofMinutes(1)) < 0;
        }

        @Override
        public String toString() {
            return "every " + interval;
        }
    }
}
