package io.mailbridge.http;

import java.util.Map;
import java.util.Optional;

/** HTTP header look-ups: names are case-insensitive, whatever case the host hands them over in. */
public final class Headers {
    private Headers() {}

    public static Optional<String> get(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(header.getValue());
            }
        }
        return Optional.empty();
    }

    /** The value of one cookie in the Cookie header, if the browser sent it. */
    public static Optional<String> cookie(Map<String, String> headers, String name) {
        return get(headers, "Cookie").flatMap(cookies -> {
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
