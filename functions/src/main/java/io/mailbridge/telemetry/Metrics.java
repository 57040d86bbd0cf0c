package io.mailbridge.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.Locale;

/**
 * The app's own metrics, one method per thing that happened. Names and attributes are fixed (README, "Telemetry"):
 * dashboards and alerts read them. Attribute values come from small fixed sets, never from ids or addresses.
 */
public final class Metrics {
    /** Where a delivered mail came from: a webhook notification, the catch-up sweep, or the BCC address. */
    public enum Source { WEBHOOK, SWEEP, BCC }

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
    private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("transport");
    private static final AttributeKey<String> TO = AttributeKey.stringKey("to");

    private final DoubleHistogram webhookAck;
    private final LongCounter notifications;
    private final LongCounter mailsDelivered;
    private final LongCounter graphRequests;
    private final DoubleHistogram throttleWait;
    private final LongCounter sends;
    private final LongCounter quotaSwitches;
    private final LongCounter transitions;
    private final LongCounter deadLetters;

    public Metrics(Meter meter) {
        webhookAck = meter.histogramBuilder("mailbridge.webhook.ack.duration").setUnit("ms")
                .setDescription("Time from a Graph notification POST reaching the app to its answer").build();
        notifications = meter.counterBuilder("mailbridge.notifications")
                .setDescription("Graph change notifications received, by whether they proved themselves").build();
        mailsDelivered = meter.counterBuilder("mailbridge.mails.delivered")
                .setDescription("Mails handed to the CRM as events, by how they were found").build();
        graphRequests = meter.counterBuilder("mailbridge.graph.requests")
                .setDescription("HTTP requests to Microsoft Graph, by kind and answer").build();
        throttleWait = meter.histogramBuilder("mailbridge.graph.throttle.wait").setUnit("ms")
                .setDescription("The wait Graph asked for (Retry-After) when it throttled a request").build();
        sends = meter.counterBuilder("mailbridge.sends")
                .setDescription("CRM sends that reached a final state, by transport and outcome").build();
        quotaSwitches = meter.counterBuilder("mailbridge.quota.switches")
                .setDescription("Mailboxes switched to the SMTP relay because Exchange's sending quota was spent").build();
        transitions = meter.counterBuilder("mailbridge.connections.transitions")
                .setDescription("Mailbox connection state changes, by the state entered").build();
        deadLetters = meter.counterBuilder("mailbridge.deadletters")
                .setDescription("CRM events given up after their last delivery attempt").build();
    }

    /** @param outcome how the POST was answered: validation, accepted, malformed or unavailable */
    public void webhookAnswered(String outcome, Duration took) {
        webhookAck.record(took.toNanos() / 1_000_000.0, Attributes.of(OUTCOME, outcome));
    }

    public void notifications(int accepted, int rejected) {
        if (accepted > 0) {
            notifications.add(accepted, Attributes.of(RESULT, "accepted"));
        }
        if (rejected > 0) {
            notifications.add(rejected, Attributes.of(RESULT, "rejected"));
        }
    }

    public void mailsDelivered(Source source, int count) {
        if (count > 0) {
            mailsDelivered.add(count, Attributes.of(SOURCE, lower(source.name())));
        }
    }

    /** @param status the HTTP status, or {@code network} when no answer came */
    public void graphRequest(String kind, String status) {
        graphRequests.add(1, Attributes.of(KIND, kind, STATUS, status));
    }

    public void throttleWait(Duration wait) {
        throttleWait.record(wait.toMillis());
    }

    /** @param transport graph, smtp, or none when the send ended before any transport took it */
    public void send(String transport, String outcome) {
        sends.add(1, Attributes.of(TRANSPORT, transport, OUTCOME, lower(outcome)));
    }

    public void quotaSwitch() {
        quotaSwitches.add(1);
    }

    /** @param to the name of the state the connection moved to (telemetry sits below the mailbox package, so a name) */
    public void connectionTransition(String to) {
        transitions.add(1, Attributes.of(TO, to));
    }

    public void deadLetter() {
        deadLetters.add(1);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
