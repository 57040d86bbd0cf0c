package io.mailbridge.graph;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Microsoft's Retry-After: whole seconds, seconds with a fraction ("2.128", which Graph sends), or an
 * HTTP-date (RFC 9110 §10.2.3). A fraction is rounded up, so a retry never comes early; a date in the
 * past means now. Anything else is no advice, and the caller's own pause applies.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /**
     * As {@link #parse(String, Clock)}, but an HTTP-date counts from the answer's own {@code Date}
     * header when it has a readable one: a skew between Microsoft's clock and ours then neither
     * shortens nor stretches the pause.
     */
    public static Optional<Duration> parse(String value, String date, Clock clock) {
        Clock answeredAt = clock;
        if (date != null) {
            try {
                answeredAt = Clock.fixed(ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // No usable Date: our own clock it is.
            }
        }
        return parse(value, answeredAt);
    }

    public static Optional<Duration> parse(String value, Clock clock) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.matches("\\d{1,6}(\\.\\d{1,9})?")) {
            long millis = new BigDecimal(text).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
            return Optional.of(Duration.ofMillis(millis));
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
