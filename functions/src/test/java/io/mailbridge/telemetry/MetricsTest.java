package io.mailbridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.mailbox.ConnectionState;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The names and attributes dashboards and alerts read (README, "Telemetry"). */
class MetricsTest {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final Metrics metrics = new Metrics(SdkMeterProvider.builder().registerMetricReader(reader).build().get(Telemetry.SCOPE));

    @Test
    void eachEventCountsUnderItsNameAndAttributes() {
        metrics.webhookAnswered("accepted", Duration.ofMillis(40));
        metrics.notifications(3, 1);
        metrics.notifications(0, 0);
        metrics.mailsDelivered(Metrics.Source.WEBHOOK, 2);
        metrics.mailsDelivered(Metrics.Source.BCC, 0);
        metrics.graphRequest("GET delta", "200");
        metrics.throttleWait(Duration.ofSeconds(5));
        metrics.send("smtp", "SENT");
        metrics.quotaSwitch();
        metrics.connectionTransition(ConnectionState.NEEDS_REAUTH.name());
        metrics.deadLetter();

        assertEquals(Map.ofEntries(
                Map.entry("mailbridge.connections.transitions{to=NEEDS_REAUTH}", 1.0),
                Map.entry("mailbridge.deadletters{}", 1.0),
                Map.entry("mailbridge.graph.requests{kind=GET delta, status=200}", 1.0),
                Map.entry("mailbridge.graph.throttle.wait{}", 5000.0),
                Map.entry("mailbridge.mails.delivered{source=webhook}", 2.0),
                Map.entry("mailbridge.notifications{result=accepted}", 3.0),
                Map.entry("mailbridge.notifications{result=rejected}", 1.0),
                Map.entry("mailbridge.quota.switches{}", 1.0),
                Map.entry("mailbridge.sends{outcome=sent, transport=smtp}", 1.0),
                Map.entry("mailbridge.webhook.ack.duration{outcome=accepted}", 40.0)), points());
    }

    /** Counter values and histogram sums by name and sorted attributes. */
    private Map<String, Double> points() {
        Map<String, Double> points = new TreeMap<>();
        for (MetricData metric : reader.collectAllMetrics()) {
            metric.getLongSumData().getPoints().forEach(p -> points.put(metric.getName() + attributes(p.getAttributes()), (double) p.getValue()));
            metric.getHistogramData().getPoints().forEach(p -> points.put(metric.getName() + attributes(p.getAttributes()), p.getSum()));
        }
        return points;
    }

    private static String attributes(io.opentelemetry.api.common.Attributes attributes) {
        Map<String, String> sorted = new TreeMap<>();
        attributes.forEach((key, value) -> sorted.put(key.getKey(), String.valueOf(value)));
        return sorted.toString();
    }
}
