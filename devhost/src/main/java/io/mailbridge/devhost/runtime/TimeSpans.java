package io.mailbridge.devhost.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads .NET TimeSpan text ({@code [d.]hh:mm[:ss[.fffffff]]}), the form host.json and timer schedules use. */
public final class TimeSpans {
    private static final Pattern TIME_SPAN =
            Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,7}))?)?");

    private TimeSpans() {}

    /** Empty when the text is not a TimeSpan or a field is out of range (hours 0-23, minutes and seconds 0-59). */
    public static Optional<Duration> parse(String text) {
        Matcher m = TIME_SPAN.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        int hours = Integer.parseInt(m.group(2));
        int minutes = Integer.parseInt(m.group(3));
        int seconds = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        if (hours > 23 || minutes > 59 || seconds > 59) {
            return Optional.empty();
        }
        long nanos = m.group(5) == null ? 0 : Long.parseLong((m.group(5) + "000000000").substring(0, 9));
        return Optional.of(Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds).plusNanos(nanos));
    }
}
