package io.mailbridge.devhost.http;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ASP.NET Core route constraint, the kind a Functions route template uses after a colon:
 * {@code int}, {@code long}, {@code bool}, {@code guid}, {@code alpha}, {@code double},
 * {@code float}, {@code decimal}, {@code datetime}, {@code min(n)}, {@code max(n)},
 * {@code range(a,b)}, {@code minlength(n)}, {@code maxlength(n)}, {@code length(n)},
 * {@code length(a,b)}, {@code regex(expression)} and {@code required}.
 */
final class RouteConstraint {
    private static final Pattern SPEC = Pattern.compile("([a-zA-Z]+)(?:\\((.*)\\))?", Pattern.DOTALL);
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}"
                    + "|\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}"
                    + "|\\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\)");
    private static final Pattern ALPHA = Pattern.compile("[a-zA-Z]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final String spec;
    private final Predicate<String> test;

    private RouteConstraint(String spec, Predicate<String> test) {
        this.spec = spec;
        this.test = test;
    }

    boolean accepts(String value) {
        return test.test(value);
    }

    @Override
    public String toString() {
        return spec;
    }

    /** @throws IllegalArgumentException naming the constraint when it is unknown or its arguments are wrong */
    static RouteConstraint parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not a route constraint");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String arguments = m.group(2);
        try {
            return new RouteConstraint(spec, test(name, arguments));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("route constraint '" + spec + "' needs whole-number arguments", e);
        }
    }

    private static Predicate<String> test(String name, String arguments) {
        switch (name) {
            case "int":
                return noArguments(name, arguments, v -> fitsIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "long":
                return noArguments(name, arguments, v -> fitsIn(v, Long.MIN_VALUE, Long.MAX_VALUE));
            case "bool":
                return noArguments(name, arguments, v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"));
            case "guid":
                return noArguments(name, arguments, v -> GUID.matcher(v).matches());
            case "alpha":
                return noArguments(name, arguments, v -> ALPHA.matcher(v).matches());
            case "double":
            case "float":
            case "decimal":
                return noArguments(name, arguments, RouteConstraint::isNumber);
            case "datetime":
                return noArguments(name, arguments, RouteConstraint::isDateTime);
            case "required":
                return noArguments(name, arguments, v -> !v.isEmpty());
            case "min":
                long min = Long.parseLong(single(name, arguments));
                return v -> fitsIn(v, Long.MIN_VALUE, Long.MAX_VALUE) && Long.parseLong(v) >= min;
            case "max":
                long max = Long.parseLong(single(name, arguments));
                return v -> fitsIn(v, Long.MIN_VALUE, Long.MAX_VALUE) && Long.parseLong(v) <= max;
            case "range":
                long[] range = pair(name, arguments);
                return v -> fitsIn(v, range[0], range[1]);
            case "minlength":
                int minLength = Integer.parseInt(single(name, arguments));
                return v -> v.length() >= minLength;
            case "maxlength":
                int maxLength = Integer.parseInt(single(name, arguments));
                return v -> v.length() <= maxLength;
            case "length":
                if (arguments != null && arguments.contains(",")) {
                    long[] lengths = pair(name, arguments);
                    return v -> v.length() >= lengths[0] && v.length() <= lengths[1];
                }
                int length = Integer.parseInt(single(name, arguments));
                return v -> v.length() == length;
            case "regex":
                // ASP.NET matches without anchors, ignoring case; templates anchor with ^ and $ themselves.
                Pattern pattern = Pattern.compile(single(name, arguments), Pattern.CASE_INSENSITIVE);
                return v -> pattern.matcher(v).find();
            default:
                throw new IllegalArgumentException("'" + name + "' is not a route constraint the devhost knows");
        }
    }

    private static Predicate<String> noArguments(String name, String arguments, Predicate<String> test) {
        if (arguments != null) {
            throw new IllegalArgumentException("route constraint '" + name + "' takes no arguments");
        }
        return test;
    }

    private static String single(String name, String arguments) {
        if (arguments == null || arguments.isEmpty()) {
            throw new IllegalArgumentException("route constraint '" + name + "' needs an argument");
        }
        return arguments;
    }

    private static long[] pair(String name, String arguments) {
        String[] parts = single(name, arguments).split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("route constraint '" + name + "' needs two arguments");
        }
        return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim())};
    }

    private static boolean fitsIn(String value, long min, long max) {
        if (!INTEGER.matcher(value).matches()) {
            return false;
        }
        try {
            long parsed = Long.parseLong(value);
            return parsed >= min && parsed <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDateTime(String value) {
        return parses(value, OffsetDateTime::parse) || parses(value, LocalDateTime::parse) || parses(value, LocalDate::parse);
    }

    private static boolean parses(String value, Function<String, ?> parser) {
        try {
            parser.apply(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
