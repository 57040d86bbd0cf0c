package io.mailbridge.testkit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The response a function builds with {@code request.createResponseBuilder(...)}. Header names are case-insensitive,
 * and a header set twice keeps its last value.
 */
public record FunctionHttpResponse(HttpStatusType status, Map<String, String> headers, Object body) implements HttpResponseMessage {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public Object getBody() {
        return body;
    }

    /** The body as text: a string as it is, bytes as UTF-8; null without a body. */
    public String text() {
        return switch (body) {
            case null -> null;
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> body.toString();
        };
    }

    /** The body read as JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(text());
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + text(), e);
        }
    }

    static final class Builder implements HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Object body;

        Builder(HttpStatusType status) {
            this.status = Objects.requireNonNull(status, "status");
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        @Override
        public HttpResponseMessage.Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        @Override
        public HttpResponseMessage.Builder body(Object body) {
            this.body = body;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(headers);
            return new FunctionHttpResponse(status, Collections.unmodifiableMap(copy), body);
        }
    }
}
