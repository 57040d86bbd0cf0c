package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.SendMessageResult;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.config.Region;
import io.mailbridge.crm.DeadLetters;
import io.mailbridge.e2e.support.Axe;
import io.mailbridge.e2e.support.Browser;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.e2e.support.Web;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The ops view on the US stamp, through the local host: known state is put into the stamp's storage (connections
 * in every state, a subscription past due, a dead letter, a poison message) and the status route and page must
 * show it, with the timers' real runs, to the master key only.
 */
@ExtendWith(StackExtension.class)
class OpsStatusIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Older than anything another test stores, so the oldest the view reports is this test's own. */
    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");
    private static final String POISON_QUEUE = StorageNames.poisonQueue(StorageNames.SENT_RECONCILIATION_QUEUE);

    private Stack stack;
    private Web web;
    /** Nothing else in this run stores AU connections in the US stamp, so its AU counts are exactly this test's. */
    private final String account = UniqueNames.next("ops");
    private final String eventId = "ops-it-" + account;
    private final MailSubscription overdue = new MailSubscription("ops-it-" + account, account, "needs-reauth-1",
            "needs-reauth-1@" + account + ".example", "inbox", "hash", LONG_AGO);
    private SendMessageResult poison;

    @BeforeEach
    void putKnownState(Stack stack) {
        this.stack = stack;
        this.web = new Web(stack.sandbox().tls().clientContext());
        MailboxConnections connections = new MailboxConnections(stack.storage());
        // ONE_WAY and RESTRICTED: no timer syncs or reconciles these mailboxes, so their states stay as stored.
        for (String user : List.of("active-1", "needs-reauth-1", "needs-reauth-2", "failed-1", "disconnected-1")) {
            ConnectionState state = ConnectionState.valueOf(user.substring(0, user.lastIndexOf('-')).replace('-', '_').toUpperCase());
            String mailbox = user + "@" + account + ".example";
            connections.connect(new MailboxConnection(account, user, mailbox, state, SyncMode.ONE_WAY, Profile.RESTRICTED, Region.AU,
                    List.of(mailbox), null, null, LONG_AGO, LONG_AGO), Optional.empty());
        }
        new Subscriptions(stack.storage()).save(overdue);
        new DeadLetters(stack.storage()).add(new DeadLetters.DeadLetter(eventId, "email.received", "{}", "the CRM answered 400", 8, LONG_AGO));
        QueueClient queue = stack.storage().queues().getQueueClient(POISON_QUEUE);
        queue.createIfNotExists();
        poison = queue.sendMessage("{\"accountId\":\"" + account + "\",\"userId\":\"failed-1\"}");
    }

    /** The stack is shared by the whole run: leave nothing that another test could count. */
    @AfterEach
    void removeKnownState() {
        TableClient connections = stack.storage().tables().getTableClient(StorageNames.CONNECTIONS_TABLE);
        connections.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + account + "'"), null, null)
                .forEach(e -> connections.deleteEntity(e.getPartitionKey(), e.getRowKey()));
        new Subscriptions(stack.storage()).delete(overdue);
        new DeadLetters(stack.storage()).remove(eventId);
        stack.storage().queues().getQueueClient(POISON_QUEUE).deleteMessage(poison.getMessageId(), poison.getPopReceipt());
    }

    @Test
    void theStatusShowsConnectionsQueuesDeadLettersSubscriptionsAndTimers() {
        // The US stamp sweeps every 15 s in this run: its run is the timer run to see.
        JsonNode status = awaitStatus(s -> timer(s, "inboundSweep").path("outcome").asText().equals("SUCCEEDED"));

        assertEquals("US", status.get("region").asText());
        assertEquals(Map.of("ACTIVE", 1L, "NEEDS_REAUTH", 2L, "FAILED", 1L, "DISCONNECTED", 1L), counts(status.at("/connections/byRegion/AU")));
        Map<String, Long> byState = counts(status.at("/connections/byState"));
        assertEquals(List.of("ACTIVE", "NEEDS_REAUTH", "FAILED", "DISCONNECTED"), List.copyOf(byState.keySet()), "every state, in order");
        assertTrue(byState.get("NEEDS_REAUTH") >= 2 && byState.get("FAILED") >= 1, byState.toString());
        assertEquals(byState.values().stream().mapToLong(Long::longValue).sum(), status.at("/connections/total").asLong());

        assertTrue(status.at("/subscriptions/expiringWithinADay").asLong() >= 1, status.toString());
        assertEquals(LONG_AGO, Instant.parse(status.at("/subscriptions/soonestExpiry").asText()));
        assertTrue(status.at("/deadLetters/open").asLong() >= 1, status.toString());
        assertEquals(LONG_AGO, Instant.parse(status.at("/deadLetters/oldestFailedAt").asText()));

        List<String> queues = new ArrayList<>();
        status.get("queues").forEach(q -> queues.add(q.get("name").asText()));
        assertEquals(StorageNames.QUEUES, queues, "every queue, in order");
        JsonNode sentReconciliation = status.get("queues").get(StorageNames.QUEUES.indexOf(StorageNames.SENT_RECONCILIATION_QUEUE));
        JsonNode poisoned = sentReconciliation.get("poison");
        assertEquals(POISON_QUEUE, poisoned.get("queue").asText());
        assertTrue(poisoned.get("count").asLong() >= 1, poisoned.toString());
        // The front message's age is the stamp's now less its insertion time (at or before this test's message).
        Instant inserted = Instant.parse(poisoned.get("oldestInsertedAt").asText());
        assertFalse(inserted.isAfter(poison.getInsertionTime().toInstant()), poisoned.toString());
        assertEquals(Duration.between(inserted, Instant.parse(status.get("takenAt").asText())).toSeconds(),
                poisoned.get("oldestAgeSeconds").asLong());

        JsonNode sweep = timer(status, "inboundSweep");
        assertFalse(Instant.parse(sweep.get("finishedAt").asText()).isBefore(Instant.parse(sweep.get("startedAt").asText())), sweep.toString());
    }

    @Test
    void thePageShowsTheSameToAPerson() {
        HttpResponse<String> page = get("api/ops/status/page", Stack.MASTER_KEY);

        assertEquals(200, page.statusCode(), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        String html = page.body();
        assertTrue(html.contains("<th scope=\"col\">AU</th>"), html);
        assertTrue(html.contains(" poison message(s) in " + POISON_QUEUE + "</li>"), html);
        assertTrue(html.contains("dead letter(s) wait for replay"), html);
        assertTrue(html.contains("<time datetime=\"2020-01-01T00:00:00Z\">2020-01-01 00:00:00</time>"), "the dead letter's and the subscription's time");
    }

    @Test
    void onlyTheMasterKeyOpensTheStatus() {
        for (String route : List.of("api/ops/status", "api/ops/status/page")) {
            assertEquals(401, get(route, Stack.FUNCTION_KEY).statusCode(), route + " with a function key");
            assertEquals(401, get(route, null).statusCode(), route + " without a key");
            assertEquals(200, get(route, Stack.MASTER_KEY).statusCode(), route + " with the master key");
        }
    }

    /** A browser opens the page (the key in the query, as a person's bookmark has it): axe-core finds nothing, a phone shows it whole. */
    @Test
    void aBrowserShowsThePageAccessiblyOnAPhoneToo() {
        ChromeDriver browser = Browser.start(stack.sandbox().trustedCertificateFile());
        try {
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            browser.get(stack.appBaseUrl().resolve("api/ops/status/page?code=" + Stack.MASTER_KEY).toString());
            assertEquals("Stamp status", browser.getTitle());
            assertEquals("Mailbox connections", browser.findElement(By.cssSelector("#connections caption")).getText());
            assertEquals(List.of(), Axe.violations(browser), "at desktop width");

            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 375, "height", 812, "deviceScaleFactor", 1, "mobile", true));
            assertEquals(List.of(), Axe.violations(browser), "at 375 px");
            long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
            assertTrue(scrollWidth <= 375, "the page scrolls sideways on a phone: " + scrollWidth + " px wide");
        } finally {
            browser.quit();
        }
    }

    /** Polled every half second: each status read scans tables, so not in a tight loop. */
    private JsonNode awaitStatus(Predicate<JsonNode> until) {
        return Polling.await("the stamp's status", PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = get("api/ops/status", Stack.MASTER_KEY);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            return MailboxApi.json(response.body());
        }, until);
    }

    private static JsonNode timer(JsonNode status, String name) {
        for (JsonNode run : status.get("timers")) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        return MailboxApi.json("{}");
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> counts = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> counts.put(field.getKey(), field.getValue().asLong()));
        return counts;
    }

    private HttpResponse<String> get(String route, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.appBaseUrl().resolve(route)).GET();
        if (key != null) {
            request.header("x-functions-key", key);
        }
        return web.send(request);
    }
}
