package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.devhost.LocalTelemetry;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proof of telemetry: one mail, notified by Graph and delivered to the CRM stand-in, leaves log lines tied
 * to their invocations with their fields, the metrics of each step, and one trace from the webhook to the CRM event.
 */
@ExtendWith(StackExtension.class)
class TelemetryIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AttributeKey<String> INVOCATION = AttributeKey.stringKey("faas.invocation_id");
    private static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("mailbridge.account");

    @Test
    void oneNotifiedMailLeavesItsLogLinesItsMetricsAndOneTraceFromWebhookToCrmEvent(Stack stack) throws Exception {
        LocalTelemetry telemetry = stack.local().usStamp().telemetry();
        String account = UniqueNames.next("tel");
        String prospect = "buyer." + account + "@prospects.example";
        MailboxApi api = new MailboxApi(stack);
        HttpResponse<String> added = api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}");
        assertEquals(200, added.statusCode(), added.body());
        SandboxUser alex = stack.sandbox().user("alex.wilber@contoso.example");
        Connecting connecting = new Connecting(stack);
        assertEquals(200, connecting.connect(connecting.link(account, "alex", alex, List.of("Connect to mailbox"), "US"), "TWO_WAY", alex,
                "accept").statusCode());
        quietUntilTheNextSweep(telemetry, account);

        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler capture = capture(lines);
        // Tests keep the host's per-execution lines at WARNING (.mvn/test-logging.properties); Azure logs them at Information.
        Logger hostExecutions = Logger.getLogger(FunctionInvoker.class.getName());
        Level testLevel = hostExecutions.getLevel();
        hostExecutions.setLevel(Level.INFO);
        Logger.getLogger("").addHandler(capture);
        Map<String, Long> before = counts(telemetry.metrics());
        Instant sent = Instant.now();
        String subject = "deal " + account;
        SpanData delivery;
        try {
            stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(alex.userPrincipalName()), subject, "About " + subject));
            stack.crm().awaitEvent(e -> e.accountId().equals(account) && subject.equals(e.data().path("subject").asText()), PATIENCE);
            delivery = awaitSpan(telemetry, s -> s.getName().equals("crmEventDelivery") && account.equals(s.getAttributes().get(ACCOUNT))
                    && startedAfter(s, sent));
            // The host logs an execution once the function (and its span) ended.
            String executed = "Executed 'Functions.crmEventDelivery' (Succeeded, Id=" + delivery.getAttributes().get(INVOCATION);
            Polling.await("the host's line for the event's delivery", PATIENCE).until(() -> lines.stream().anyMatch(line -> line.contains(executed)));
        } finally {
            Logger.getLogger("").removeHandler(capture);
            hostExecutions.setLevel(testLevel);
        }

        // One trace: graphWebhook (server) -> mailChanges (consumer of its queue message) -> crmEventDelivery (consumer of the event's).
        List<SpanData> trace = telemetry.spans().stream().filter(s -> s.getTraceId().equals(delivery.getTraceId())).toList();
        SpanData changes = only(trace, s -> s.getSpanId().equals(delivery.getParentSpanId()));
        SpanData webhook = only(trace, s -> s.getSpanId().equals(changes.getParentSpanId()));
        assertEquals("mailChanges", changes.getName());
        assertEquals(SpanKind.CONSUMER, changes.getKind());
        assertEquals(account, changes.getAttributes().get(ACCOUNT));
        assertEquals("graphWebhook", webhook.getName());
        assertEquals(SpanKind.SERVER, webhook.getKind());
        assertFalse(webhook.getParentSpanContext().isValid(), "the webhook starts the mail's trace");
        assertEquals(SpanKind.CONSUMER, delivery.getKind());
        assertTrue(trace.stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT && s.getName().startsWith("Graph GET")
                && s.getParentSpanId().equals(changes.getSpanId())), "the Graph requests of the sync are in the trace: " + names(trace));

        // Log lines: the host's line per execution and the app's own lines carry the invocation ids of those spans.
        String mailbox = MailboxConnection.logName(alex.userPrincipalName());
        for (SpanData invocation : List.of(webhook, changes, delivery)) {
            String id = invocation.getAttributes().get(INVOCATION);
            assertTrue(lines.stream().anyMatch(line -> line.contains("Executed 'Functions." + invocation.getName() + "' (Succeeded, Id=" + id)),
                    "the host logged " + invocation.getName() + " " + id);
        }
        String syncLine = lines.stream().filter(line -> line.contains("delivered 1 of") && line.contains("account=" + account)).findFirst().orElseThrow();
        assertTrue(syncLine.contains("[operation=mailChanges invocationId=" + changes.getAttributes().get(INVOCATION) + " account=" + account
                + " mailbox=" + mailbox + "]"), syncLine);
        assertTrue(lines.stream().noneMatch(line -> line.toLowerCase().contains(alex.userPrincipalName())), "no mailbox address in the logs");

        // Metrics: the notification, the acknowledgement, the Graph requests and the delivered mail each counted.
        Map<String, Long> after = counts(telemetry.metrics());
        assertGrew(before, after, "mailbridge.notifications{result=accepted}");
        assertGrew(before, after, "mailbridge.webhook.ack.duration{outcome=accepted}");
        assertGrew(before, after, "mailbridge.mails.delivered{source=webhook}");
        assertGrew(before, after, "mailbridge.graph.requests{kind=GET delta,status=200}");
    }

    /**
     * The timer sweep asks for a catch-up of every 2-way mailbox every 15 s here: a catch-up in the moment a notification
     * is on its way would find the mail first, under the sweep's trace. So the mail goes out right after the sweep's
     * catch-up of this mailbox (and the connect's own) has run, with the next sweep well away.
     */
    private static void quietUntilTheNextSweep(LocalTelemetry telemetry, String account) {
        Instant connected = Instant.now();
        SpanData sweep = awaitSpan(telemetry, s -> s.getName().equals("inboundSweep") && startedAfter(s, connected));
        awaitSpan(telemetry, s -> s.getName().equals("mailChanges") && account.equals(s.getAttributes().get(ACCOUNT))
                && s.getParentSpanId().equals(sweep.getSpanId()));
    }

    private static SpanData awaitSpan(LocalTelemetry telemetry, Predicate<SpanData> matching) {
        Polling.await("a span", PATIENCE).untilAsserted(
                () -> assertTrue(telemetry.spans().stream().anyMatch(matching), () -> "spans: " + names(telemetry.spans())));
        return telemetry.spans().stream().filter(matching).findFirst().orElseThrow();
    }

    private static boolean startedAfter(SpanData span, Instant instant) {
        return span.getStartEpochNanos() > TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> matching) {
        List<SpanData> found = spans.stream().filter(matching).toList();
        assertEquals(1, found.size(), "spans: " + names(spans));
        return found.get(0);
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> s.getName() + "/" + s.getSpanId() + "<" + s.getParentSpanId()).toList();
    }

    /** Counter values and histogram counts, keyed as the local host logs them. */
    private static Map<String, Long> counts(java.util.Collection<MetricData> metrics) {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String line : LocalTelemetry.describe(metrics)) {
            String key = line.substring(0, line.lastIndexOf(line.contains(" count=") ? " count=" : " "));
            String value = line.contains(" count=") ? line.replaceAll(".* count=(\\d+) .*", "$1") : line.substring(line.lastIndexOf(' ') + 1);
            counts.put(key, Math.round(Double.parseDouble(value)));
        }
        return counts;
    }

    private static void assertGrew(Map<String, Long> before, Map<String, Long> after, String key) {
        assertTrue(after.getOrDefault(key, 0L) > before.getOrDefault(key, 0L), key + " grew: " + before.get(key) + " -> " + after.get(key)
                + " in " + after.keySet());
    }

    private static Handler capture(List<String> lines) {
        Handler handler = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                lines.add(format.format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.INFO);
        return handler;
    }
}
