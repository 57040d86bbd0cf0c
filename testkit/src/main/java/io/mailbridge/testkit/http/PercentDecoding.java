package io.mailbridge.testkit.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes URL paths and query strings as ASP.NET does: malformed escapes stay as they are. */
public final class PercentDecoding {
    private PercentDecoding() {}

    /** A path segment: '+' is a plus sign there. */
    public static String decode(String segment) {
        return decodeForm(segment.replace("+", "%2B"));
    }

    /** Query parameters by name; '+' is a space, and a repeated name joins its values with commas. */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    String name = decodeForm(equals < 0 ? pair : pair.substring(0, equals));
                    String value = equals < 0 ? "" : decodeForm(pair.substring(equals + 1));
                    parameters.merge(name, value, (first, second) -> first + "," + second);
                }
            }
        }
        return Collections.unmodifiableMap(parameters);
    }

    private static String decodeForm(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
