package io.mailbridge.e2e.bench;

import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How fast the webhook acknowledges Graph, at 1, 10 and 100 notifications per POST, on the local
 * host over loopback. A benchmark, not a test: failsafe does not pick it up; run it with
 * {@code mvn -o -pl e2e verify -Dit.test=WebhookBenchmark}.
 */
@ExtendWith(StackExtension.class)
class WebhookBenchmark {
    private static final int POSTS = 300;
    private static final int WARM_UP = 50;
    private static final int CLIENTS = 8;

    @Test
    void acknowledgementLatencyAndThroughput(Stack stack) throws Exception {
        Connecting connecting = new Connecting(stack);
        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        String account = UniqueNames.next("bench");
        String link = connecting.link(account, "u1", joni, List.of("Connect to mailbox"), "US");
        connecting.connect(link, "TWO_WAY", joni, "accept");
        MailSubscription subscription = new Subscriptions(stack.storage()).of(account, "u1").get(0);
        // The app keeps only the client state's hash; Graph, here the sandbox, has it in clear.
        String clientState = stack.sandbox().exchange().subscriptions().get(subscription.id()).orElseThrow().clientState();
        URI webhook = stack.appBaseUrl().resolve("api/graph/notifications");
        HttpClient http = HttpClient.newBuilder().sslContext(stack.sandbox().tls().clientContext()).connectTimeout(Duration.ofSeconds(5))
                .build();

        System.out.println("notifications/POST | p50 ms | p99 ms | notifications/s (" + CLIENTS + " clients, " + POSTS + " POSTs)");
        for (int perPost : List.of(1, 10, 100)) {
            String body = body(subscription.id(), clientState, perPost);
            run(http, webhook, body, WARM_UP);
            long started = System.nanoTime();
            List<Long> latencies = run(http, webhook, body, POSTS);
            double seconds = (System.nanoTime() - started) / 1e9;
            Collections.sort(latencies);
            System.out.printf("%18d | %6.1f | %6.1f | %10.0f%n", perPost, latencies.get(latencies.size() / 2) / 1e6,
                    latencies.get((int) (latencies.size() * 0.99) - 1) / 1e6, POSTS * perPost / seconds);
        }
    }

    private static List<Long> run(HttpClient http, URI webhook, String body, int posts) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Long>> timings = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            timings.add(clients.submit(() -> {
                long start = System.nanoTime();
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("The webhook answered " + response.statusCode());
                }
                return System.nanoTime() - start;
            }));
        }
        List<Long> latencies = new ArrayList<>();
        for (Future<Long> timing : timings) {
            latencies.add(timing.get());
        }
        clients.shutdown();
        return latencies;
    }

    private static String body(String subscriptionId, String clientState, int notifications) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < notifications; i++) {
            items.add("{\"subscriptionId\":\"" + subscriptionId + "\",\"clientState\":\"" + clientState
                    + "\",\"changeType\":\"created\",\"resource\":\"Users/x/Messages/m" + i + "\",\"resourceData\":{\"id\":\"m" + i
                    + "\"},\"tenantId\":\"t\"}");
        }
        return "{\"value\":[" + String.join(",", items) + "]}";
    }
}
