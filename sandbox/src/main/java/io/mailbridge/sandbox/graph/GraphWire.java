package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Graph's wire shape, in one place: every answer carries a fresh {@code request-id} and the
 * caller's {@code client-request-id} (or a new one); JSON is OData's minimal-metadata content type
 * with {@code OData-Version: 4.0}, errors plain JSON whose {@code innerError} names the date and both ids.
 * Batch steps carry the step headers Graph documents instead. {@code Date} is stamped by the JDK's
 * HTTP server itself, from the wall clock (it overwrites any a handler sets).
 */
final class GraphWire {
    static final String JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    /** innerError.date as Graph writes it: UTC, to the second, without a zone. */
    private static final DateTimeFormatter INNER_ERROR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private GraphWire() {
    }

    /** Who answered whom, and when: the ids and date one request's answer carries. */
    record Trace(String requestId, String clientRequestId, Instant date) {
        /** A fresh request id; the caller's client-request-id when it gave one (null or blank when not). */
        static Trace of(String clientRequestId, Clock clock) {
            String echoed = clientRequestId == null || clientRequestId.isBlank() ? UUID.randomUUID().toString() : clientRequestId;
            return new Trace(UUID.randomUUID().toString(), echoed, clock.instant());
        }
    }

    /** A top-level Graph answer as it leaves the service. */
    static Response finish(Request request, Response response, Clock clock) {
        Trace trace = Trace.of(request.header("client-request-id").orElse(null), clock);
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("request-id", trace.requestId());
        headers.put("client-request-id", trace.clientRequestId());
        return odata(response, headers, trace);
    }

    /** A batch step's answer: Graph's step headers (no ids, no Date) and the batch's trace in an error body. */
    static ObjectNode step(String id, Response response, Trace batch) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Cache-Control", "no-cache");
        Response shaped = odata(response, headers, batch);
        ObjectNode answer = Json.object().put("id", id).put("status", shaped.status());
        ObjectNode answerHeaders = answer.putObject("headers");
        shaped.headers().forEach(answerHeaders::put);
        if (shaped.body().length > 0) {
            try {
                answer.set("body", Json.parse(shaped.body()));
            } catch (Json.MalformedJsonException e) {
                answer.put("body", shaped.bodyText());
            }
        }
        return answer;
    }

    /** A Graph error body; {@link #finish} and {@link #step} add its innerError. */
    static Response error(int status, String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return Response.json(status, body);
    }

    private static Response odata(Response response, Map<String, String> headers, Trace trace) {
        if (!headers.getOrDefault("Content-Type", "").startsWith("application/json")) {
            return new Response(response.status(), headers, response.body());
        }
        if (response.status() >= 400) {
            // Graph's errors are plain JSON, without OData's parameters (as the JSON batching page's failed steps show).
            headers.put("Content-Type", "application/json");
            return new Response(response.status(), headers, withInnerError(response.body(), trace));
        }
        headers.put("Content-Type", JSON_CONTENT_TYPE);
        headers.put("OData-Version", "4.0");
        return new Response(response.status(), headers, response.body());
    }

    private static byte[] withInnerError(byte[] body, Trace trace) {
        try {
            JsonNode parsed = Json.parse(body);
            if (parsed.path("error") instanceof ObjectNode error) {
                JsonNode existing = error.get("innerError");
                ObjectNode inner = existing instanceof ObjectNode object ? object : error.putObject("innerError");
                inner.put("date", INNER_ERROR_DATE.format(trace.date().truncatedTo(ChronoUnit.SECONDS)))
                        .put("request-id", trace.requestId()).put("client-request-id", trace.clientRequestId());
                return Json.bytes(parsed);
            }
        } catch (Json.MalformedJsonException e) {
            // Not JSON after all: sent as it is.
        }
        return body;
    }
}
