package io.mailbridge.sandbox.graph;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * How a throttled answer writes Retry-After. Graph sends whole seconds, seconds with a fraction
 * ("2.128"), and RFC 9110 also allows an HTTP-date; a client has to read all three.
 */
public enum RetryAfterForm {
    /** Whole seconds, rounded up, at least 1. */
    SECONDS("seconds"),
    /** Seconds to the millisecond, as in "2.128". */
    FRACTION("fraction"),
    /** The instant to retry at, rounded up to the second an HTTP-date can say. */
    HTTP_DATE("http-date");

    private final String controlName;

    RetryAfterForm(String controlName) {
        this.controlName = controlName;
    }

    public String controlName() {
        return controlName;
    }

    public static RetryAfterForm named(String name) {
        return Arrays.stream(values()).filter(form -> form.controlName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("retryAfterForm is seconds, fraction or http-date, not '" + name + "'"));
    }

    /** The header value for a pause of {@code retryAfter} from {@code now} (now is read only by HTTP_DATE). */
    public String render(Duration retryAfter, Instant now) {
        return switch (this) {
            case SECONDS -> Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
            case FRACTION -> BigDecimal.valueOf(retryAfter.toMillis(), 3).toPlainString();
            case HTTP_DATE -> {
                Instant at = now.plus(retryAfter);
                Instant second = at.truncatedTo(ChronoUnit.SECONDS);
                yield DateTimeFormatter.RFC_1123_DATE_TIME.format((second.equals(at) ? second : second.plusSeconds(1)).atOffset(ZoneOffset.UTC));
            }
        };
    }
}
