package io.mailbridge.devhost.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollingBackoffTest {
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(2);

    @Test
    void growsWhileTheQueueStaysEmptyUpToTheMaximum() {
        PollingBackoff backoff = new PollingBackoff(MIN, MAX);
        Duration previous = backoff.next(false);
        assertEquals(MIN, previous);
        for (int i = 0; i < 20; i++) {
            Duration next = backoff.next(false);
            assertTrue(next.compareTo(previous) >= 0, next + " after " + previous);
            assertTrue(next.compareTo(MAX) <= 0);
            previous = next;
        }
        assertEquals(MAX, previous);
    }

    @Test
    void startsOverOnceAMessageWasFound() {
        PollingBackoff backoff = new PollingBackoff(MIN, MAX);
        for (int i = 0; i < 10; i++) {
            backoff.next(false);
        }
        assertEquals(MIN, backoff.next(true));
        Duration second = backoff.next(false);
        assertTrue(second.compareTo(Duration.ofMillis(180)) >= 0 && second.compareTo(Duration.ofMillis(220)) <= 0, second.toString());
    }
}
