package io.mailbridge.ops;

import io.mailbridge.config.Region;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.ops.OpsStatus.Depth;
import io.mailbridge.ops.OpsStatus.QueueStatus;
import io.mailbridge.storage.TimerRuns;
import io.mailbridge.storage.TimerRuns.TimerRun;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A snapshot of a US stamp with something wrong in every part, for the gauges' and the page's tests. */
final class OpsStatuses {
    private OpsStatuses() {}

    static OpsStatus troubled(Instant takenAt) {
        Map<ConnectionState, Long> us = new EnumMap<>(Map.of(ConnectionState.ACTIVE, 3L, ConnectionState.NEEDS_REAUTH, 1L));
        Map<ConnectionState, Long> byState = new EnumMap<>(Map.of(ConnectionState.ACTIVE, 3L, ConnectionState.NEEDS_REAUTH, 1L,
                ConnectionState.FAILED, 0L, ConnectionState.DISCONNECTED, 0L));
        return new OpsStatus(Region.US, takenAt, new OpsStatus.ConnectionCounts(4, byState, new EnumMap<>(Map.of(Region.US, us))),
                new OpsStatus.ExpiringSubscriptions(1, takenAt.plusSeconds(3600)),
                List.of(new QueueStatus("crm-events", new Depth("crm-events", 2, takenAt.minusSeconds(400), 400L),
                                new Depth("crm-events-poison", 1, takenAt.minusSeconds(90_000), 90_000L)),
                        new QueueStatus("mail-changes", new Depth("mail-changes", 0, null, null),
                                new Depth("mail-changes-poison", 0, null, null))),
                new OpsStatus.OpenDeadLetters(2, takenAt.minusSeconds(7200)),
                List.of(new TimerRun("housekeeping", takenAt.minusSeconds(60), takenAt.minusSeconds(58), TimerRuns.Outcome.FAILED,
                        "java.lang.IllegalStateException"),
                        new TimerRun("inboundSweep", takenAt.minusSeconds(10), null, TimerRuns.Outcome.RUNNING, null)));
    }
}
