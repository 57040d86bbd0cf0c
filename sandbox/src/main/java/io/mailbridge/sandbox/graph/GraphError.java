package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
final class GraphError {
    private GraphError() {
    }

    static Response of(int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        error.putObject("innerError").put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("request-id", requestId).put("client-request-id", requestId);
        return Response.json(status, body).withHeader("request-id", requestId);
    }

    static Response throttled(String code, String message, Duration retryAfter) {
        return of(429, code, message).withHeader("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
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
