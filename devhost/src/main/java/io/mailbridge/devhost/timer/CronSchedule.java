package io.mailbridge.devhost.timer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * An NCRONTAB schedule as the host reads it (the NCrontab library): {@code second minute hour
 * day month day-of-week}, or five fields without seconds (then second 0). Each field takes a
 * star, values, ranges {@code a-b}, lists {@code a,b}, and steps {@code /n} after a star, a range or
 * a value; months and days of week also take (prefixes of) English names. A time matches when
 * every field matches, day of month and day of week included (NCrontab's rule, not Vixie cron's).
 */
final class CronSchedule implements TimerSchedule {
    private static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December");
    private static final List<String> DAYS_OF_WEEK =
            List.of("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday");
    /** Far enough for any schedule that fires at all (a 29 February on a given weekday recurs within 28 years). */
    private static final long SEARCH_YEARS = 400;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet daysOfWeek;

    private CronSchedule(String expression, BitSet seconds, BitSet minutes, BitSet hours, BitSet days, BitSet months,
            BitSet daysOfWeek) {
        this.expression = expression;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
    }

    /** @throws IllegalArgumentException naming the field that is wrong */
    static CronSchedule parse(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("a cron expression has 6 fields (second minute hour day month day-of-week), or 5 without seconds");
        }
        int at = fields.length == 6 ? 1 : 0;
        BitSet seconds = fields.length == 6 ? field(fields[0], "second", 0, 59, null) : single(0);
        return new CronSchedule(expression.trim(), seconds,
                field(fields[at], "minute", 0, 59, null),
                field(fields[at + 1], "hour", 0, 23, null),
                field(fields[at + 2], "day", 1, 31, null),
                field(fields[at + 3], "month", 1, 12, MONTHS),
                field(fields[at + 4], "day-of-week", 0, 6, DAYS_OF_WEEK));
    }

    private static BitSet single(int value) {
        BitSet bits = new BitSet();
        bits.set(value);
        return bits;
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + text + "' has an empty value");
            }
            int slash = item.indexOf('/');
            String range = slash < 0 ? item : item.substring(0, slash);
            int step = slash < 0 ? 1 : Math.max(1, number(item.substring(slash + 1), name));
            int first;
            int last;
            if (range.equals("*")) {
                first = min;
                last = max;
            } else if (range.indexOf('-') > 0) {
                first = value(range.substring(0, range.indexOf('-')), name, min, max, names);
                last = value(range.substring(range.indexOf('-') + 1), name, min, max, names);
                if (first > last) {
                    int swap = first;
                    first = last;
                    last = swap;
                }
            } else {
                first = value(range, name, min, max, names);
                last = slash < 0 ? first : max;
            }
            for (int v = first; v <= last; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int value(String text, String name, int min, int max, List<String> names) {
        int value;
        if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
            value = number(text, name);
        } else {
            value = -1;
            for (int i = 0; names != null && i < names.size() && value < 0; i++) {
                if (!text.isEmpty() && names.get(i).toLowerCase(Locale.ROOT).startsWith(text.toLowerCase(Locale.ROOT))) {
                    value = i + min;
                }
            }
            if (value < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a valid " + name + " value");
            }
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is out of range for the " + name + " field (" + min + "-" + max + ")");
        }
        return value;
    }

    private static int number(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number in the " + name + " field", e);
        }
    }

    @Override
    public Instant nextAfter(Instant time) {
        LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
            } else if (!days.get(t.getDayOfMonth()) || !daysOfWeek.get(t.getDayOfWeek().getValue() % 7)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return t.toInstant(ZoneOffset.UTC);
            }
        }
        throw new IllegalArgumentException("the schedule '" + expression + "' never fires");
    }

    @Override
    public boolean adjustsForDst() {
        return true;
    }

    /** As the host decides it: only "X * * * * *" can fire more often, when X names more than one second. */
    @Override
    public boolean firesMoreThanOncePerMinute() {
        return isFull(minutes, 0, 59) && isFull(hours, 0, 23) && isFull(days, 1, 31) && isFull(months, 1, 12)
                && isFull(daysOfWeek, 0, 6) && seconds.cardinality() > 1;
    }

    private static boolean isFull(BitSet bits, int min, int max) {
        return bits.nextClearBit(min) > max;
    }

    @Override
    public String toString() {
        return expression;
    }
}
