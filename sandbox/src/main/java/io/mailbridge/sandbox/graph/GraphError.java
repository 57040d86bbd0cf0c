package io.mailbridge.sandbox.graph;

import io.mailbridge.sandbox.http.Response;
import java.time.Duration;

/** Graph's error answers: {"error":{"code","message"}}, with innerError added by {@link GraphWire}. */
final class GraphError {
    private GraphError() {
    }

    static Response of(int status, String code, String message) {
        return GraphWire.error(status, code, message);
    }

    static Response throttled(String code, String message, Duration retryAfter) {
        return throttled(code, message, RetryAfterForm.SECONDS.render(retryAfter, null));
    }

    /** 429 with Retry-After already written in one of its forms. */
    static Response throttled(String code, String message, String retryAfter) {
        return of(429, code, message).withHeader("Retry-After", retryAfter);
    }

    static Response badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    static Response notFound(String message) {
        return of(404, "ErrorItemNotFound", message);
    }

    static Response accessDenied() {
        return of(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
}
