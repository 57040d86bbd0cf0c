package io.mailbridge.devhost.timer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.devhost.runtime.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A timer's last and next occurrence, and when they were worked out: what the host stores in the
 * schedule monitor's blob and passes in the timer JSON, with .NET's date format.
 */
record ScheduleStatus(Instant last, Instant next, Instant lastUpdated) {
    /** .NET's default DateTime, which the host writes for "never". */
    static final Instant NEVER = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("Last", format(last));
        json.put("Next", format(next));
        json.put("LastUpdated", format(lastUpdated));
        return json;
    }

    static ScheduleStatus fromJson(JsonNode json) {
        return new ScheduleStatus(parse(json, "Last"), parse(json, "Next"), parse(json, "LastUpdated"));
    }

    private static Instant parse(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("The schedule status has no " + field);
        }
        return OffsetDateTime.parse(value.asText()).toInstant();
    }

    /** Like Json.NET's ISO format: up to seven fractional digits, trailing zeros dropped, offset +00:00. */
    static String format(Instant instant) {
        String fraction = String.format("%09d", instant.getNano()).substring(0, 7).replaceAll("0+$", "");
        return SECONDS.format(instant) + (fraction.isEmpty() ? "" : "." + fraction) + "+00:00";
    }
}
