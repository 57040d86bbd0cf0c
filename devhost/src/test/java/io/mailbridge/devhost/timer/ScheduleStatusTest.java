package io.mailbridge.devhost.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.devhost.runtime.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleStatusTest {

    @Test
    void writesDatesAsJsonNetDoes() {
        assertEquals("2026-09-24T13:09:00+00:00", ScheduleStatus.format(Instant.parse("2026-09-24T13:09:00Z")));
        assertEquals("2026-09-24T13:08:00.0096035+00:00", ScheduleStatus.format(Instant.parse("2026-09-24T13:08:00.009603512Z")));
        assertEquals("2026-09-24T13:08:00.5+00:00", ScheduleStatus.format(Instant.parse("2026-09-24T13:08:00.500Z")));
        assertEquals("0001-01-01T00:00:00+00:00", ScheduleStatus.format(ScheduleStatus.NEVER));
    }

    @Test
    void roundTripsThroughTheHostsBlobFormat() throws Exception {
        ScheduleStatus status = new ScheduleStatus(ScheduleStatus.NEVER, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T10:11:12.123456Z"));

        String json = status.toJson().toString();

        assertEquals("{\"Last\":\"0001-01-01T00:00:00+00:00\",\"Next\":\"2026-01-01T00:00:00+00:00\","
                + "\"LastUpdated\":\"2025-12-31T10:11:12.123456+00:00\"}", json);
        assertEquals(status, ScheduleStatus.fromJson(Json.MAPPER.readTree(json)));
        assertEquals(status, ScheduleStatus.fromJson(Json.MAPPER.readTree(
                "{\"Last\":\"0001-01-01T00:00:00Z\",\"Next\":\"2026-01-01T01:00:00+01:00\",\"LastUpdated\":\"2025-12-31T10:11:12.123456+00:00\"}")));
    }
}
