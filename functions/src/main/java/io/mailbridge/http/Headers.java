package io.mailbridge.http;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * HTTP headers looked up by name without case, as HTTP names them: a function's request headers (hosts hand names
 * over lower-cased, or not) and the headers of Microsoft's responses.
 */
public final class Headers {
    private Headers() {}

    /** The header's value; empty when it is absent or blank. */
    public static Optional<String> value(Map<String, String> headers, String name) {
        return first(headers, name, Stream::of);
    }

    /** The header's first value that is not blank, where a header may have several. */
    public static Optional<String> first(Map<String, ? extends Collection<String>> headers, String name) {
        return first(headers, name, Collection::stream);
    }

    private static <V> Optional<String> first(Map<String, V> headers, String name, Function<V, Stream<String>> values) {
        return headers.entrySet().stream()
                .filter(header -> name.equalsIgnoreCase(header.getKey()) && header.getValue() != null)
                .flatMap(header -> values.apply(header.getValue()))
                .filter(value -> value != null && !value.isBlank())
                .findFirst();
    }

    /** The Content-Length the request declared; empty when it declared none (chunked) or one that is not a number. */
    public static OptionalLong contentLength(Map<String, String> headers) {
        Optional<String> declared = value(headers, "Content-Length").map(String::strip);
        if (declared.isEmpty() || !declared.get().matches("\\d{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(declared.get()));
    }

    /** The value of one cookie in the Cookie header, if the browser sent it. */
    public static Optional<String> cookie(Map<String, String> headers, String name) {
        return value(headers, "Cookie").flatMap(cookies -> {
            for (String pair : cookies.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
            return Optional.empty();
        });
    }
}
