package io.mailbridge.devhost.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimerScheduleTest {

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "0 */5 * * * *       | 2024-03-10T10:02:13Z | 2024-03-10T10:05:00Z",
            "0 */5 * * * *       | 2024-03-10T10:05:00Z | 2024-03-10T10:10:00Z",
            "*/15 * * * * *      | 2024-03-10T10:02:13Z | 2024-03-10T10:02:15Z",
            "0 0 * * * *         | 2024-03-10T23:30:00Z | 2024-03-11T00:00:00Z",
            "0 30 9 * * 1-5      | 2024-03-08T10:00:00Z | 2024-03-11T09:30:00Z",
            "0 30 9 * * Mon-Fri  | 2024-03-08T10:00:00Z | 2024-03-11T09:30:00Z",
            "0 0 12 * * sat,SUN  | 2024-03-08T10:00:00Z | 2024-03-09T12:00:00Z",
            "5,10 0 0 1 1 *      | 2024-01-01T00:00:05Z | 2024-01-01T00:00:10Z",
            "0 0 0 29 2 *        | 2024-03-01T00:00:00Z | 2028-02-29T00:00:00Z",
            "0 0 0 31 * *        | 2024-04-01T00:00:00Z | 2024-05-31T00:00:00Z",
            "0 0 0 13 * 5        | 2024-01-01T00:00:00Z | 2024-09-13T00:00:00Z",
            "0 0 0 1 Jan *       | 2024-06-01T00:00:00Z | 2025-01-01T00:00:00Z",
            "0 10-20/5 * * * *   | 2024-03-10T10:16:00Z | 2024-03-10T10:20:00Z",
            "0 50/5 * * * *      | 2024-03-10T10:56:00Z | 2024-03-10T11:50:00Z",
            "0 20-10 1 * * *     | 2024-03-10T01:15:00Z | 2024-03-10T01:16:00Z",
            "30 4 * * *          | 2024-03-10T04:29:00Z | 2024-03-10T04:30:00Z",
            "00:05:00            | 2024-03-10T10:02:13Z | 2024-03-10T10:07:13Z",
            "1.00:00:00          | 2024-03-10T10:02:13Z | 2024-03-11T10:02:13Z"})
    void findsTheNextOccurrenceInUtc(String expression, String after, String next) {
        assertEquals(Instant.parse(next), TimerSchedule.parse(expression.trim()).nextAfter(Instant.parse(after)));
    }

    @Test
    void aDayMatchesOnlyWhenDayOfMonthAndDayOfWeekBothMatch() {
        // NCrontab's rule: "the 13th, on a Friday", not "the 13th or any Friday".
        assertEquals(Instant.parse("2024-12-13T00:00:00Z"), TimerSchedule.parse("0 0 0 13 * Fri").nextAfter(Instant.parse("2024-09-14T00:00:00Z")));
    }

    @Test
    void subSecondTimesCountFromTheirSecond() {
        assertEquals(Instant.parse("2024-03-10T10:02:14Z"), TimerSchedule.parse("* * * * * *").nextAfter(Instant.parse("2024-03-10T10:02:13.999Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"every night", "0 61 * * * *", "0 0 24 * * *", "0 0 0 0 * *", "0 0 0 * 13 *", "0 0 0 * * 7",
            "0 0 0 * * Xyz", "* * * *", "1 2 3 4 5 6 7", "0 0 0 1,,2 * *", "00:00:00", "25:00:00", "0 a * * * *"})
    void refusesWhatTheHostRefuses(String expression) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TimerSchedule.parse(expression));
        assertTrue(error.getMessage().contains("'" + expression + "'"), error.getMessage());
    }

    @Test
    void aScheduleThatNeverFiresIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TimerSchedule.parse("0 0 0 31 2 *").nextAfter(Instant.now()));
    }

    @Test
    void onlyScheduleMonitorsSchedulesThatFireAtMostOncePerMinute() {
        assertTrue(TimerSchedule.parse("*/10 * * * * *").firesMoreThanOncePerMinute());
        assertTrue(TimerSchedule.parse("0,30 * * * * *").firesMoreThanOncePerMinute());
        assertTrue(TimerSchedule.parse("00:00:30").firesMoreThanOncePerMinute());
        assertFalse(TimerSchedule.parse("0 * * * * *").firesMoreThanOncePerMinute());
        assertFalse(TimerSchedule.parse("* 5 * * * *").firesMoreThanOncePerMinute(), "the host looks at 'X * * * * *' only");
        assertFalse(TimerSchedule.parse("0 */5 * * * *").firesMoreThanOncePerMinute());
        assertFalse(TimerSchedule.parse("* * * * *").firesMoreThanOncePerMinute(), "five fields fire at second 0");
        assertFalse(TimerSchedule.parse("00:01:00").firesMoreThanOncePerMinute());
    }

    @Test
    void cronAdjustsForDaylightSavingAndIntervalsDoNot() {
        assertTrue(TimerSchedule.parse("0 0 * * * *").adjustsForDst());
        assertFalse(TimerSchedule.parse("01:00:00").adjustsForDst());
        assertEquals(Duration.ofHours(1), ((TimerSchedule.ConstantSchedule) TimerSchedule.parse("01:00:00")).interval());
    }
}
