package io.mailbridge.ops;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The ops snapshot as OpenTelemetry gauges, for the stamp's alerts. The gauges report the latest snapshot
 * while it is fresh and nothing after: in Azure only the instance that ran the timer has one, and an
 * instance whose snapshot is old must not keep reporting it as the present.
 */
public final class OpsGauges {
    /** Two of {@link OpsGaugesFunction}'s 5-minute runs: one late or failed run does not blank the gauges. */
    static final Duration FRESH_FOR = Duration.ofMinutes(10);
    private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
    private static final AttributeKey<String> REGION = AttributeKey.stringKey("region");
    private static final AttributeKey<String> QUEUE = AttributeKey.stringKey("queue");

    private final Supplier<OpsStatus> snapshots;
    private final Clock clock;
    private final AtomicReference<OpsStatus> latest = new AtomicReference<>();

    /** @param snapshots takes a snapshot ({@link OpsStatusReader#read}) */
    public OpsGauges(Supplier<OpsStatus> snapshots, Meter meter, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
        ObservableLongMeasurement connections = gauge(meter, "mailbridge.connections", "{connection}",
                "Mailbox connections by state and region");
        ObservableLongMeasurement depth = gauge(meter, "mailbridge.queue.depth", "{message}",
                "Approximate messages in the queue, delayed and in-flight ones included");
        ObservableLongMeasurement oldestAge = gauge(meter, "mailbridge.queue.oldest.age", "s",
                "Age of the message at the queue's front; 0 when none is visible");
        ObservableLongMeasurement poison = gauge(meter, "mailbridge.queue.poison", "{message}",
                "Messages in the queue's poison queue");
        ObservableLongMeasurement deadLetters = gauge(meter, "mailbridge.deadletters.open", "{event}",
                "Events the CRM never took, waiting for replay");
        ObservableLongMeasurement expiring = gauge(meter, "mailbridge.subscriptions.expiring", "{subscription}",
                "Graph subscriptions expiring within a day");
        meter.batchCallback(() -> {
            OpsStatus status = latest.get();
            if (status == null || status.takenAt().plus(FRESH_FOR).isBefore(clock.instant())) {
                return;
            }
            status.connectionsByRegionAndState().forEach((region, states) -> states.forEach((state, count) ->
                    connections.record(count, Attributes.of(REGION, region.name(), STATE, state.name()))));
            for (OpsStatus.QueueStatus queue : status.queues()) {
                Attributes attributes = Attributes.of(QUEUE, queue.name());
                depth.record(queue.messages().count(), attributes);
                oldestAge.record(queue.messages().oldestAgeSeconds() == null ? 0 : queue.messages().oldestAgeSeconds(), attributes);
                poison.record(queue.poison().count(), attributes);
            }
            deadLetters.record(status.deadLetters().open());
            expiring.record(status.subscriptions().expiringWithinADay());
        }, connections, depth, oldestAge, poison, deadLetters, expiring);
    }

    /** Reads a fresh snapshot for the gauges to report until the next. */
    public OpsStatus refresh() {
        OpsStatus status = snapshots.get();
        latest.set(status);
        return status;
    }

    private static ObservableLongMeasurement gauge(Meter meter, String name, String unit, String description) {
        return meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description).buildObserver();
    }
}
