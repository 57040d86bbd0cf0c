package io.mailbridge.sandbox.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the sandbox's handlers see it: decoded path, query and headers (names in
 * lower case), and the whole body.
 */
public record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body, String baseUrl) {

    public Request {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        headers = Collections.unmodifiableMap(lower);
    }

    public static Request of(String method, URI uri, Map<String, String> headers, byte[] body, String baseUrl) {
        return new Request(method, uri.getPath(), parseForm(uri.getRawQuery()), headers, body, baseUrl);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as an application/x-www-form-urlencoded form. */
    public Map<String, String> form() {
        return parseForm(bodyText());
    }

    /** The path split on '/', without empty segments. */
    public List<String> segments() {
        return List.of(path.split("/")).stream().filter(segment -> !segment.isEmpty()).toList();
    }

    /** Parses a query string or form body; a repeated name keeps its first value. */
    public static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
