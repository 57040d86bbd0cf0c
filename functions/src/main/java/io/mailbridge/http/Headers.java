package io.mailbridge.http;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Request headers as a function receives them: hosts hand names over lower-cased, or not, so look them up either way. */
public final class Headers {
    private Headers() {}

    /** The header's value; empty when it is absent or blank. */
    public static Optional<String> value(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).filter(value -> value != null && !value.isBlank()).findFirst();
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
