package io.mailbridge.ops;

import io.mailbridge.config.Region;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.storage.TimerRuns.TimerRun;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What an on-call engineer needs to see of a stamp at once; GET /api/ops/status answers it as JSON. */
public record OpsStatus(Region region, Instant takenAt, ConnectionCounts connections, ExpiringSubscriptions subscriptions, List<QueueStatus> queues,
        OpenDeadLetters deadLetters, List<TimerRun> timers) {

    /**
     * Each state's count in the stamp's region and in every region that has connections, zeros included: a count
     * that falls to 0 shows as 0, not as nothing.
     */
    public Map<Region, Map<ConnectionState, Long>> connectionsByRegionAndState() {
        Map<Region, Map<ConnectionState, Long>> seen = connections.byRegion();
        Map<Region, Map<ConnectionState, Long>> counts = new EnumMap<>(Region.class);
        Stream.concat(Stream.of(region), seen.keySet().stream()).forEach(r -> {
            Map<ConnectionState, Long> states = new EnumMap<>(ConnectionState.class);
            for (ConnectionState state : ConnectionState.values()) {
                states.put(state, seen.getOrDefault(r, Map.of()).getOrDefault(state, 0L));
            }
            counts.put(r, states);
        });
        return counts;
    }

    /** Connections by state (every state, zeros included) and by region and state (regions that have any). */
    public record ConnectionCounts(long total, Map<ConnectionState, Long> byState, Map<Region, Map<ConnectionState, Long>> byRegion) {}

    /** Graph subscriptions due within a day (renewal starts two days ahead, so any here means renewal is failing). */
    public record ExpiringSubscriptions(long expiringWithinADay, Instant soonestExpiry) {}

    /** One of the app's queues and the poison queue the host moves its failing messages to. */
    public record QueueStatus(String name, Depth messages, Depth poison) {}

    /**
     * A queue's approximate message count (delayed and in-flight messages included) and the message at its front:
     * its insertion time and age, null when no message is visible.
     */
    public record Depth(String queue, long count, Instant oldestInsertedAt, Long oldestAgeSeconds) {}

    /** Events the CRM never took, waiting for an operator's replay. */
    public record OpenDeadLetters(long open, Instant oldestFailedAt) {}
}
