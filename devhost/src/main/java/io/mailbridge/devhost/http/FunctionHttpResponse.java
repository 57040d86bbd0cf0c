package io.mailbridge.devhost.http;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The response a function builds with {@code request.createResponseBuilder(...)}. */
final class FunctionHttpResponse implements HttpResponseMessage {
    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private FunctionHttpResponse(HttpStatusType status, Map<String, String> headers, Object body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    /** Header names are case-insensitive. */
    @Override
    public String getHeader(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    Map<String, String> headers() {
        return headers;
    }

    @Override
    public Object getBody() {
        return body;
    }

    static final class Builder implements HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Object body;

        Builder(HttpStatusType status) {
            this.status = Objects.requireNonNull(status, "status");
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /** A header set twice keeps its last value, whatever the case of its name. */
        @Override
        public HttpResponseMessage.Builder header(String name, String value) {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
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
            return new FunctionHttpResponse(status, Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
        }
    }
}
