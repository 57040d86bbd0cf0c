package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mail gateway that retries on slow answers posts the same mail many times at once. Over HTTP on
 * the local host: 50 concurrent posts of each of 20 mails to each of two users' BCC addresses give
 * each CRM user each mail once, and every other post is told it was delivered already.
 */
@ExtendWith(StackExtension.class)
class BccConcurrencyIT {
    private static final int MAILS = 20;
    private static final int DUPLICATES = 50;

    @Test
    void fiftyConcurrentPostsOfEachMailDeliverItOncePerUser(Stack stack) throws Exception {
        Connecting connecting = new Connecting(stack);
        MailboxApi api = new MailboxApi(stack);
        String account = UniqueNames.next("race");
        List<String> users = List.of("alex.wilber", "joni.sherman");
        List<String> bccAddresses = new ArrayList<>();
        for (String userId : users) {
            SandboxUser mailbox = stack.sandbox().user(userId + "@contoso.example");
            assertEquals(200, connecting.connect(connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US"), "ONE_WAY",
                    mailbox, "accept").statusCode());
            bccAddresses.add(api.status(account, userId).get("bccAddress").asText());
        }
        String prospect = "buyer." + account + "@buyers.example";
        assertEquals(200, api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}").statusCode());

        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService gateway = Executors.newFixedThreadPool(DUPLICATES);
        HttpClient http = HttpClient.newBuilder().executor(gateway).sslContext(stack.sandbox().tls().clientContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            for (int n = 0; n < MAILS; n++) {
                byte[] mail = ("From: Buyer <" + prospect + ">\r\nTo: " + String.join(", ", users.stream().map(u -> u + "@contoso.example").toList())
                        + "\r\nSubject: Order " + n + " " + account + "\r\nMessage-ID: <order-" + n + "-" + account + "@buyers.example>\r\n"
                        + "Date: Wed, 02 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease ship order " + n + ".\r\n")
                        .getBytes(StandardCharsets.UTF_8);
                List<CompletableFuture<Void>> posts = new ArrayList<>();
                for (String bccAddress : bccAddresses) {
                    for (int copy = 0; copy < DUPLICATES; copy++) {
                        posts.add(postUntilAnswered(http, stack, bccAddress, mail)
                                .thenAccept(answer -> answers.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet()));
                    }
                }
                CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get();
            }
        } finally {
            gateway.shutdownNow();
        }

        assertEquals(MAILS * users.size(), answers.getOrDefault("202 DELIVERED", new AtomicInteger()).get(), answers.toString());
        assertEquals(MAILS * users.size() * (DUPLICATES - 1), answers.getOrDefault("200 ALREADY_DELIVERED", new AtomicInteger()).get(),
                answers.toString());
        List<CrmEvent> events = stack.crm().awaitEvents(MAILS * users.size(), e -> e.accountId().equals(account), Duration.ofSeconds(60));
        for (String userId : users) {
            assertEquals(MAILS, events.stream().filter(e -> e.userId().equals(userId)).map(CrmEvent::id).distinct().count(), userId);
        }
        assertTrue(events.stream().allMatch(e -> stack.crm().timesReceived(e.id()) == 1), "no event reached the CRM twice");
    }

    /** One post as a gateway makes it: a 503 with Retry-After is posted again after that pause. Completes with "status outcome". */
    private static CompletableFuture<String> postUntilAnswered(HttpClient http, Stack stack, String bccAddress, byte[] mail) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.appBaseUrl() + "api/bcc/mail"))
                .header("Content-Type", "message/rfc822")
                .header("X-Mailbridge-Gateway-Secret", stack.local().settings().get("MAILBRIDGE_BCC_GATEWAY_SECRET"))
                .header("X-Envelope-Recipient", bccAddress)
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(mail)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() == 503) {
                long pause = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"));
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(pause, java.util.concurrent.TimeUnit.SECONDS))
                        .thenCompose(ignored -> postUntilAnswered(http, stack, bccAddress, mail));
            }
            return CompletableFuture.completedFuture(response.statusCode() + " " + MailboxApi.json(response.body()).path("outcome").asText());
        });
    }
}
