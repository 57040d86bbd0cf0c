package io.mailbridge.sandbox.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * An error of the token endpoint in the platform's JSON shape: error, error_description starting
 * with the AADSTS code, error_codes, timestamp, trace_id, correlation_id, error_uri and, where Entra sends
 * one, suberror (MSAL4J reads it to decide whether interaction is required).
 */
record IdentityError(int status, String error, int aadsts, String description, String suberror) {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    static IdentityError invalidGrant(int aadsts, String description) {
        return new IdentityError(400, "invalid_grant", aadsts, description, null);
    }

    static IdentityError invalidRequest(int aadsts, String description) {
        return new IdentityError(400, "invalid_request", aadsts, description, null);
    }

    static IdentityError invalidClient(int aadsts, String description) {
        return new IdentityError(401, "invalid_client", aadsts, description, null);
    }

    Response toResponse(Instant now, String correlationId) {
        String traceId = UUID.randomUUID().toString();
        String timestamp = TIMESTAMP.format(now);
        ObjectNode body = Json.object()
                .put("error", error)
                .put("error_description", "AADSTS" + aadsts + ": " + description + "\r\nTrace ID: " + traceId
                        + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(aadsts);
        body.put("timestamp", timestamp).put("trace_id", traceId).put("correlation_id", correlationId)
                .put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        if (suberror != null) {
            body.put("suberror", suberror);
        }
        return Response.json(status, body).withHeader("Cache-Control", "no-store");
    }
}
