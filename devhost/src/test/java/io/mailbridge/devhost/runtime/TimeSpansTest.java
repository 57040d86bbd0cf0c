package io.mailbridge.devhost.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeSpansTest {

    @Test
    void readsDotNetTimeSpans() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), TimeSpans.parse("00:00:30"));
        assertEquals(Optional.of(Duration.ofMinutes(90)), TimeSpans.parse("01:30"));
        assertEquals(Optional.of(Duration.ofDays(2).plusHours(3)), TimeSpans.parse("2.03:00:00"));
        assertEquals(Optional.of(Duration.ofMillis(100)), TimeSpans.parse("00:00:00.1"));
        assertEquals(Optional.of(Duration.ofNanos(100)), TimeSpans.parse("00:00:00.0000001"));
    }

    @Test
    void refusesOtherText() {
        for (String text : new String[] {"30", "1:2:3:4", "24:00:00", "00:60:00", "00:00:60", "00:00:00.12345678", "-00:00:01", "abc"}) {
            assertEquals(Optional.empty(), TimeSpans.parse(text), text);
        }
    }
}
