package io.mailbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.config.Region;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsStatusTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void theJsonHasEachPartOnceAndTimesAsIsoStrings() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.write(OpsStatuses.troubled(T0)));

        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("region", "takenAt", "connections", "subscriptions", "queues", "deadLetters", "timers"), fields);
        assertEquals("2026-12-03T08:00:00Z", json.get("takenAt").asText());
        assertEquals(1, json.at("/connections/byRegion/US/NEEDS_REAUTH").asLong());
        assertEquals(400, json.at("/queues/0/messages/oldestAgeSeconds").asLong());
        assertEquals("crm-events-poison", json.at("/queues/0/poison/queue").asText());
        assertEquals("FAILED", json.at("/timers/0/outcome").asText());
    }

    @Test
    void connectionCountsFillInEveryStateOfTheStampsRegionAndOfEachRegionSeen() {
        OpsStatus status = OpsStatuses.troubled(T0);
        OpsStatus euStampWithUsConnections = new OpsStatus(Region.EU, T0, status.connections(), status.subscriptions(), status.queues(),
                status.deadLetters(), status.timers());

        assertEquals(Map.of(Region.EU, zeros(), Region.US, Map.of(ConnectionState.ACTIVE, 3L, ConnectionState.NEEDS_REAUTH, 1L,
                ConnectionState.FAILED, 0L, ConnectionState.DISCONNECTED, 0L)), euStampWithUsConnections.connectionsByRegionAndState());
    }

    private static Map<ConnectionState, Long> zeros() {
        return Map.of(ConnectionState.ACTIVE, 0L, ConnectionState.NEEDS_REAUTH, 0L, ConnectionState.FAILED, 0L, ConnectionState.DISCONNECTED, 0L);
    }
}
