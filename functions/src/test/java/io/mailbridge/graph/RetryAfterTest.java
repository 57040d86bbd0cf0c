package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void wholeSecondsAsTheyCome() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse("7", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(86_400)), RetryAfter.parse(" 86400 ", NOW));
    }

    @Test
    void aFractionAsGraphSendsItIsKeptAndRoundedUpNeverDown() {
        assertEquals(Optional.of(Duration.ofMillis(2_128)), RetryAfter.parse("2.128", NOW));
        assertEquals(Optional.of(Duration.ofMillis(2_129)), RetryAfter.parse("2.1281", NOW), "a retry never comes early");
        assertEquals(Optional.of(Duration.ofMillis(500)), RetryAfter.parse("0.5", NOW));
    }

    @Test
    void anHttpDateIsTheTimeUntilThenAndAPastDateIsNow() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 02 Dec 2026 09:00:00 GMT", NOW));
    }

    @Test
    void anHttpDateCountsFromTheAnswersOwnDateSoClockSkewDoesNotChangeThePause() {
        Clock ourClockAnHourAhead = Clock.offset(NOW, Duration.ofHours(1));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", "Wed, 02 Dec 2026 10:00:00 GMT", ourClockAnHourAhead));
        assertEquals(Optional.of(Duration.ofMillis(2_128)), RetryAfter.parse("2.128", "Wed, 02 Dec 2026 10:00:00 GMT", ourClockAnHourAhead));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", "not a date", NOW),
                "an unreadable Date falls back to our clock");
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", null, NOW));
    }

    @Test
    void anythingElseIsNoAdvice() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-3", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("1e9", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("9999999", NOW), "more than eleven days is not a pause Graph asks for");
    }
}
