package io.mailbridge.e2e.bench;

import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Graph requests per synced mail for a burst of 100 mails into one mailbox, against the naive
 * design (one GET per notification, which is one request per mail before anything else), with where
 * they went by kind. A benchmark, not a test: run it with {@code mvn -o -pl e2e verify -Dit.test=InboundCostBenchmark}.
 * Its stack runs the timers at their production schedules (the sample settings): the test stack's 10 and 15 s
 * would charge the burst with the Sent Items and sweep delta calls a mailbox makes every period, mail or not,
 * as many as the loaded machine takes periods to deliver it.
 */
class InboundCostBenchmark {
    private static final int BURST = 100;

    @Test
    void graphRequestsPerSyncedMail() {
        // Queue polling as in the test stack, so a notification is picked up within seconds.
        try (Stack stack = Stack.start(Map.of("AzureFunctionsJobHost__extensions__queues__maxPollingInterval", "00:00:02"),
                UnaryOperator.identity())) {
            burst(stack);
        }
    }

    private static void burst(Stack stack) {
        SandboxUser lynne = stack.sandbox().user("lynne.robbins@fabrikam.example");
        String account = UniqueNames.next("cost");
        Connecting connecting = new Connecting(stack);
        connecting.connect(connecting.link(account, "u1", lynne, List.of("Connect to mailbox"), "US"), "TWO_WAY", lynne, "accept");
        String prospect = "buyer." + account + "@buyers.example";
        new MailboxApi(stack).call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}");

        for (String mix : List.of("all from the prospect", "one in ten from the prospect")) {
            long before = stack.sandbox().graphRequests(lynne.id());
            Map<String, Long> kindsBefore = stack.sandbox().graphRequestsByKind(lynne.id());
            long tokensBefore = stack.sandbox().identity().userTokensIssued(lynne.id());
            long started = System.nanoTime();
            int prospectMails = 0;
            for (int i = 0; i < BURST; i++) {
                boolean fromProspect = mix.startsWith("all") || i % 10 == 0;
                prospectMails += fromProspect ? 1 : 0;
                stack.sandbox().exchange().deliver(NewMessage.simple(fromProspect ? prospect : "someone" + i + "@elsewhere.example",
                        List.of(lynne.userPrincipalName()), mix + " " + account + " #" + i, "Body " + i));
            }
            int expected = prospectMails;
            stack.crm().awaitEvents(expected, e -> e.accountId().equals(account) && e.data().path("subject").asText().startsWith(mix),
                    Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - started) / 1e9;
            long requests = stack.sandbox().graphRequests(lynne.id()) - before;
            System.out.printf("burst of %d mails, %s: %d Graph requests = %.2f per mail (naive: >= 1.00 per mail, %d+), "
                    + "%d delivered in %.1f s%n", BURST, mix, requests, requests / (double) BURST, BURST, expected, seconds);
            System.out.printf("    and %d access tokens issued by the identity platform (not Graph requests)%n",
                    stack.sandbox().identity().userTokensIssued(lynne.id()) - tokensBefore);
            stack.sandbox().graphRequestsByKind(lynne.id()).forEach((kind, count) -> {
                long made = count - kindsBefore.getOrDefault(kind, 0L);
                if (made > 0) {
                    System.out.printf("    %3d %s%n", made, kind);
                }
            });
        }
    }
}
