package io.mailbridge.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: status, headers and body bytes. */
public record Response(int status, Map<String, String> headers, byte[] body) {

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response json(int status, JsonNode body) {
        return new Response(status, Map.of("Content-Type", "application/json; charset=utf-8"), Json.bytes(body));
    }

    public static Response html(int status, String page) {
        return new Response(status, Map.of("Content-Type", "text/html; charset=utf-8",
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action *",
                "X-Content-Type-Options", "nosniff"), page.getBytes(StandardCharsets.UTF_8));
    }

    public static Response text(int status, String text) {
        return new Response(status, Map.of("Content-Type", "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response empty(int status) {
        return new Response(status, Map.of(), new byte[0]);
    }

    public static Response redirect(String location) {
        return new Response(302, Map.of("Location", location), new byte[0]);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, more, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
