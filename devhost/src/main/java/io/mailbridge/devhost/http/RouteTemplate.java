package io.mailbridge.devhost.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Functions route template, with ASP.NET Core's rules: literal segments match without regard
 * to case; {@code {name}} matches one non-empty segment; {@code {name?}} may be absent at the end;
 * {@code {name:int}} and friends add {@link RouteConstraint}s; {@code {*rest}} (or {@code {**rest}})
 * takes the rest of the path. A segment that mixes literal text and a parameter is refused.
 */
final class RouteTemplate {
    /** ASP.NET's inbound precedence: more specific segments sort first. */
    static final Comparator<RouteTemplate> BY_PRECEDENCE = RouteTemplate::comparePrecedence;
    /** Leading and trailing slashes, which neither templates nor paths depend on. */
    static final String SLASHES_AROUND = "^/+|/+$";

    private final String text;
    private final List<Segment> segments;

    private RouteTemplate(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    private sealed interface Segment permits Literal, Parameter {
        /** 1 literal, 3 constrained parameter, 4 parameter, 5 catch-all (2, complex segments, is refused). */
        int precedence();

        /** The segment without parameter names, as {@link RouteTemplate#shape()} joins them. */
        String shape();
    }

    private record Literal(String text) implements Segment {
        @Override
        public int precedence() {
            return 1;
        }

        @Override
        public String shape() {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    private record Parameter(String name, boolean optional, boolean catchAll, List<RouteConstraint> constraints)
            implements Segment {
        @Override
        public int precedence() {
            return catchAll ? 5 : constraints.isEmpty() ? 4 : 3;
        }

        boolean accepts(String value) {
            return constraints.stream().allMatch(c -> c.accepts(value));
        }

        @Override
        public String shape() {
            return "{" + (catchAll ? "*" : "") + constraints.stream().map(RouteConstraint::toString).collect(Collectors.joining(":"))
                    + (optional ? "?" : "") + "}";
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with the template */
    static RouteTemplate parse(String template) {
        String trimmed = (template.startsWith("~/") ? template.substring(2) : template).replaceAll(SLASHES_AROUND, "");
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (!trimmed.isEmpty()) {
            for (String part : trimmed.split("/", -1)) {
                Segment segment = segment(part);
                if (segment instanceof Parameter parameter && !names.add(parameter.name().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("route parameter '" + parameter.name() + "' appears twice");
                }
                segments.add(segment);
            }
        }
        checkOrder(segments);
        return new RouteTemplate(trimmed, List.copyOf(segments));
    }

    private static Segment segment(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("a route segment is empty ('//')");
        }
        // "{{" and "}}" are escaped braces: literal text, also inside a regex constraint.
        String unescaped = part.replace("{{", "").replace("}}", "");
        long braces = unescaped.chars().filter(c -> c == '{' || c == '}').count();
        if (braces == 0) {
            if (part.contains("?")) {
                throw new IllegalArgumentException("literal segment '" + part + "' must not contain '?'");
            }
            return new Literal(unescape(part));
        }
        if (braces != 2 || !unescaped.startsWith("{") || !unescaped.endsWith("}")) {
            throw new IllegalArgumentException("segment '" + part + "' mixes literal text and parameters;"
                    + " the devhost supports a parameter only as a whole segment");
        }
        return parameter(unescape(part.substring(1, part.length() - 1)));
    }

    private static String unescape(String text) {
        return text.replace("{{", "{").replace("}}", "}");
    }

    private static Parameter parameter(String inside) {
        boolean catchAll = inside.startsWith("*");
        String rest = catchAll ? inside.substring(inside.startsWith("**") ? 2 : 1) : inside;
        boolean optional = rest.endsWith("?");
        if (optional) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> parts = splitOutsideParentheses(rest);
        String name = parts.get(0);
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException(name.contains("=")
                    ? "route parameter '" + inside + "' has a default value, which the devhost does not support"
                    : "'" + name + "' is not a valid route parameter name");
        }
        if (catchAll && optional) {
            throw new IllegalArgumentException("catch-all parameter '" + name + "' cannot be optional");
        }
        List<RouteConstraint> constraints = new ArrayList<>();
        for (String constraint : parts.subList(1, parts.size())) {
            constraints.add(RouteConstraint.parse(constraint));
        }
        return new Parameter(name, optional, catchAll, List.copyOf(constraints));
    }

    /** Splits "id:regex(a:b):int" at the colons that are not inside a constraint's parentheses. */
    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static void checkOrder(List<Segment> segments) {
        boolean optionalSeen = false;
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            Parameter parameter = segment instanceof Parameter p ? p : null;
            if (parameter != null && parameter.catchAll() && i != segments.size() - 1) {
                throw new IllegalArgumentException("catch-all parameter '" + parameter.name() + "' must be the last segment");
            }
            if (optionalSeen && (parameter == null || !(parameter.optional() || parameter.catchAll()))) {
                throw new IllegalArgumentException("an optional parameter can only be followed by optional parameters");
            }
            optionalSeen |= parameter != null && parameter.optional();
        }
    }

    /** The template as declared, without leading and trailing slashes. */
    String text() {
        return text;
    }

    /** The template without parameter names: templates of one shape match the same paths. */
    String shape() {
        return segments.stream()
                .map(Segment::shape)
                .collect(Collectors.joining("/"));
    }

    Set<String> parameterNames() {
        return segments.stream()
                .filter(Parameter.class::isInstance)
                .map(segment -> Parameter.class.cast(segment).name())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Matches the path's decoded segments (no prefix, no empty trailing segment) and returns the
     * route parameters by name; an absent optional parameter has no entry.
     */
    Optional<Map<String, String>> match(List<String> path) {
        Map<String, String> values = new LinkedHashMap<>();
        int next = 0;
        for (Segment segment : segments) {
            if (segment instanceof Parameter parameter && parameter.catchAll()) {
                String rest = String.join("/", path.subList(Math.min(next, path.size()), path.size()));
                if (!rest.isEmpty()) {
                    if (!parameter.accepts(rest)) {
                        return Optional.empty();
                    }
                    values.put(parameter.name(), rest);
                }
                return Optional.of(values);
            }
            if (next >= path.size()) {
                if (segment instanceof Parameter parameter && parameter.optional()) {
                    continue;
                }
                return Optional.empty();
            }
            String value = path.get(next++);
            switch (segment) {
                case Literal literal -> {
                    if (!literal.text().equalsIgnoreCase(value)) {
                        return Optional.empty();
                    }
                }
                case Parameter parameter -> {
                    if (value.isEmpty() || !parameter.accepts(value)) {
                        return Optional.empty();
                    }
                    values.put(parameter.name(), value);
                }
            }
        }
        return next == path.size() ? Optional.of(values) : Optional.empty();
    }

    private static int comparePrecedence(RouteTemplate a, RouteTemplate b) {
        int length = Math.max(a.segments.size(), b.segments.size());
        for (int i = 0; i < length; i++) {
            int left = i < a.segments.size() ? a.segments.get(i).precedence() : 0;
            int right = i < b.segments.size() ? b.segments.get(i).precedence() : 0;
            if (left != right) {
                return Integer.compare(left, right);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
