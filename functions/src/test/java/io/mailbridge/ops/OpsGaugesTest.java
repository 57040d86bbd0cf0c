package io.mailbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.sandbox.SandboxClock;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsGaugesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private final SandboxClock clock = SandboxClock.frozenAt(T0);
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final OpsGauges gauges = new OpsGauges(() -> OpsStatuses.troubled(clock.instant()), provider.get("io.mailbridge"), clock);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void reportNothingBeforeTheFirstSnapshot() {
        assertTrue(reader.collectAllMetrics().stream().allMatch(metric -> metric.getLongGaugeData().getPoints().isEmpty()));
    }

    @Test
    void reportTheSnapshotWithEveryStateOfTheRegionAndEveryQueue() {
        gauges.refresh();
        Collection<MetricData> metrics = reader.collectAllMetrics();

        assertEquals(Map.of("region=US state=ACTIVE", 3L, "region=US state=NEEDS_REAUTH", 1L, "region=US state=FAILED", 0L,
                "region=US state=DISCONNECTED", 0L), points(metrics, "mailbridge.connections"));
        assertEquals(Map.of("queue=crm-events", 2L, "queue=mail-changes", 0L), points(metrics, "mailbridge.queue.depth"));
        assertEquals(Map.of("queue=crm-events", 400L, "queue=mail-changes", 0L), points(metrics, "mailbridge.queue.oldest.age"));
        assertEquals(Map.of("queue=crm-events", 1L, "queue=mail-changes", 0L), points(metrics, "mailbridge.queue.poison"));
        assertEquals(Map.of("", 2L), points(metrics, "mailbridge.deadletters.open"));
        assertEquals(Map.of("", 1L), points(metrics, "mailbridge.subscriptions.expiring"));
        assertEquals("s", metric(metrics, "mailbridge.queue.oldest.age").getUnit());
    }

    @Test
    void stopReportingASnapshotOnceItIsStale() {
        gauges.refresh();
        clock.advance(OpsGauges.FRESH_FOR);
        assertEquals(2L, points(reader.collectAllMetrics(), "mailbridge.deadletters.open").get(""), "still fresh at the limit");

        clock.advance(Duration.ofSeconds(1));
        assertTrue(reader.collectAllMetrics().stream().allMatch(metric -> metric.getLongGaugeData().getPoints().isEmpty()));
    }

    private static MetricData metric(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
    }

    /** Each point's attributes as "key=value ..." (sorted by key), with its value. */
    private static Map<String, Long> points(Collection<MetricData> metrics, String name) {
        Map<String, Long> points = new TreeMap<>();
        for (LongPointData point : metric(metrics, name).getLongGaugeData().getPoints()) {
            Map<String, Object> attributes = new TreeMap<>();
            point.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), value));
            points.put(attributes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")),
                    point.getValue());
        }
        return points;
    }
}
