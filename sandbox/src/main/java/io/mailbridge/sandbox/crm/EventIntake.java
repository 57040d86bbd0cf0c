package io.mailbridge.sandbox.crm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a POSTed event is authentic and well formed, as the CRM would: the signature over
 * the exact bytes first, then the timestamp's freshness, then the JSON. It only judges; the
 * {@link Inbox} decides whether an accepted event is new or a repeat.
 */
final class EventIntake {
    static final String EVENT_ID = "X-Mailbridge-Event-Id";
    static final String TIMESTAMP = "X-Mailbridge-Timestamp";
    static final String SIGNATURE = "X-Mailbridge-Signature";
    private static final List<String> TEXT_FIELDS = List.of("id", "type", "accountId", "userId", "occurredAt");
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,15}");
    /** Signed bodies must mean one thing: no duplicate keys, nothing after the object. */
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final byte[] secret;
    private final Duration tolerance;

    EventIntake(CrmConfig config) {
        this.secret = config.signingSecret().getBytes(StandardCharsets.UTF_8);
        this.tolerance = config.tolerance();
    }

    /**
     * {@link CrmOutcome.Accepted} with the parsed event, or {@link CrmOutcome.Refused} saying why not.
     * Freshness is judged against {@code receivedAt}, the CRM clock's reading on arrival.
     */
    CrmOutcome judge(ReceivedHeaders headers, byte[] body, Instant receivedAt) {
        for (String name : List.of(EVENT_ID, TIMESTAMP, SIGNATURE)) {
            if (headers.all(name).size() != 1) {
                return unauthorized(name + " must be sent exactly once");
            }
        }
        String timestamp = headers.first(TIMESTAMP).orElseThrow();
        if (!UNIX_SECONDS.matcher(timestamp).matches()) {
            return unauthorized(TIMESTAMP + " must be Unix seconds");
        }
        if (!EventSignature.matches(secret, timestamp, body, headers.first(SIGNATURE).orElseThrow())) {
            return unauthorized(SIGNATURE + " does not match the timestamp and body");
        }
        long skew = Math.abs(receivedAt.getEpochSecond() - Long.parseLong(timestamp));
        if (skew > tolerance.toSeconds()) {
            return unauthorized(TIMESTAMP + " is " + skew + " s away from the CRM's clock; at most "
                    + tolerance.toSeconds() + " s is accepted");
        }
        return parse(headers, body, receivedAt);
    }

    private static CrmOutcome parse(ReceivedHeaders headers, byte[] body, Instant receivedAt) {
        JsonNode json;
        try {
            json = STRICT_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a body already in memory", e);
        }
        if (json == null || !json.isObject()) {
            return badRequest("The body must be a JSON object");
        }
        for (String field : TEXT_FIELDS) {
            if (!json.path(field).isTextual() || json.path(field).asText().isBlank()) {
                return badRequest("Field '" + field + "' must be a non-empty string");
            }
        }
        if (!json.path("data").isObject()) {
            return badRequest("Field 'data' must be a JSON object");
        }
        Instant occurredAt;
        try {
            occurredAt = OffsetDateTime.parse(json.get("occurredAt").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return badRequest("Field 'occurredAt' must be an ISO-8601 date-time with an offset, such as 2025-05-01T10:15:30Z");
        }
        String id = json.get("id").asText();
        String headerId = headers.first(EVENT_ID).orElseThrow();
        if (!headerId.equals(id)) {
            return badRequest(EVENT_ID + " '" + headerId + "' does not match the body's id '" + id + "'");
        }
        return new CrmOutcome.Accepted(new CrmEvent(id, json.get("type").asText(), json.get("accountId").asText(),
                json.get("userId").asText(), occurredAt, json, new String(body, StandardCharsets.UTF_8), headers, receivedAt));
    }

    private static CrmOutcome.Refused unauthorized(String reason) {
        return new CrmOutcome.Refused(401, reason);
    }

    private static CrmOutcome.Refused badRequest(String reason) {
        return new CrmOutcome.Refused(400, reason);
    }
}
