package io.mailbridge.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.config.Region;
import io.mailbridge.crm.CrmEventSender;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.crm.DeadLetters;
import io.mailbridge.crm.Hmac;
import io.mailbridge.http.Json;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import io.mailbridge.support.NoTelemetry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** State changes on stored connections: made only from allowed states, each made one told to the CRM once. */
@ExtendWith(AzuriteExtension.class)
class ConnectionLifecycleIT {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private final String account = UniqueNames.next("lifecycle");
    private StorageClients storage;
    private MailboxConnections connections;
    private ConnectionLifecycle lifecycle;

    @BeforeEach
    void setUp(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
        connections = new MailboxConnections(storage, TestStorage.newTable(storage, "connections"));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        CrmEvents events = new CrmEvents(new QueueProducer(storage), new Payloads(storage),
                new CrmEventSender(URI.create("http://127.0.0.1:9/events"), new Hmac("x".repeat(32).getBytes(StandardCharsets.UTF_8)), clock),
                new DeadLetters(storage), NoTelemetry.METRICS, clock);
        lifecycle = new ConnectionLifecycle(connections, events, NoTelemetry.METRICS);
    }

    private void connected(String userId, ConnectionState state) {
        connections.connect(new MailboxConnection(account, userId, userId + "@contoso.example", state, SyncMode.TWO_WAY, Profile.FULL,
                Region.US, List.of(), null, null, T0, T0), Optional.empty());
    }

    private ConnectionState stateOf(String userId) {
        return connections.find(account, userId).orElseThrow().value().state();
    }

    @Test
    void aDisconnectedConnectionIsNeverMadeFailedOrNeedsReauthAndTheCrmHearsNothing() {
        connected("ada", ConnectionState.DISCONNECTED);

        assertFalse(lifecycle.apply(account, "ada", ConnectionTransition.FAIL, "MailboxNotEnabledForRESTAPI", T0.plusSeconds(1)));
        assertFalse(lifecycle.apply(account, "ada", ConnectionTransition.NEED_REAUTH, "invalid_grant", T0.plusSeconds(2)));

        MailboxConnection stored = connections.find(account, "ada").orElseThrow().value();
        assertEquals(ConnectionState.DISCONNECTED, stored.state());
        assertEquals(T0, stored.updatedAt(), "nothing was written");
        assertEquals(List.of(), takeEvents());
    }

    @Test
    void anActiveConnectionFailsOnceAndTheCrmIsToldOnce() {
        connected("bob", ConnectionState.ACTIVE);

        assertTrue(lifecycle.apply(account, "bob", ConnectionTransition.FAIL, "no Exchange Online mailbox", T0.plusSeconds(1)));
        assertFalse(lifecycle.apply(account, "bob", ConnectionTransition.FAIL, "no Exchange Online mailbox", T0.plusSeconds(2)));

        assertEquals(ConnectionState.FAILED, stateOf("bob"));
        List<JsonNode> events = takeEvents();
        assertEquals(1, events.size(), events.toString());
        assertEquals("mailbox.failed", events.get(0).path("type").asText());
        assertEquals("bob", events.get(0).path("userId").asText());
        assertEquals("bob@contoso.example", events.get(0).path("data").path("mailbox").asText());
        assertEquals("no Exchange Online mailbox", events.get(0).path("data").path("reason").asText());
    }

    @Test
    void needingReauthTellsTheCrmTheReasonCodeAndStoresAnExplanation() {
        connected("cy", ConnectionState.ACTIVE);

        assertTrue(lifecycle.apply(account, "cy", ConnectionTransition.NEED_REAUTH, "invalid_grant", T0.plusSeconds(1)));

        MailboxConnection stored = connections.find(account, "cy").orElseThrow().value();
        assertEquals(ConnectionState.NEEDS_REAUTH, stored.state());
        assertEquals("Microsoft asked the user to sign in again (invalid_grant)", stored.lastError());
        List<JsonNode> events = takeEvents();
        assertEquals(List.of("mailbox.needs_reauth"), events.stream().map(e -> e.path("type").asText()).toList());
        assertEquals("invalid_grant", events.get(0).path("data").path("reason").asText());
    }

    @Test
    void aFailureRacingADisconnectAlwaysEndsDisconnected() throws Exception {
        for (int round = 0; round < 5; round++) {
            String userId = "racer" + round;
            connected(userId, ConnectionState.ACTIVE);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Callable<Boolean>> racers = List.of(
                        () -> {
                            start.await(10, TimeUnit.SECONDS);
                            return lifecycle.apply(account, userId, ConnectionTransition.FAIL, "late sync failure", T0.plusSeconds(1));
                        },
                        () -> {
                            start.await(10, TimeUnit.SECONDS);
                            return lifecycle.apply(account, userId, ConnectionTransition.DISCONNECT, "the CRM disconnected", T0.plusSeconds(1));
                        });
                pool.invokeAll(racers).forEach(result -> {
                    try {
                        result.get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            } finally {
                pool.shutdownNow();
            }
            assertEquals(ConnectionState.DISCONNECTED, stateOf(userId), "whichever ran first");
        }
    }

    /** The CRM events this test's account queued, taken off the shared queue (other tests' stay, visible again shortly). */
    private List<JsonNode> takeEvents() {
        QueueClient queue = storage.queues().getQueueClient(StorageNames.CRM_EVENTS_QUEUE);
        List<JsonNode> mine = new ArrayList<>();
        List<QueueMessageItem> batch;
        do {
            batch = new ArrayList<>();
            queue.receiveMessages(32, Duration.ofSeconds(30), null, null).forEach(batch::add);
            for (QueueMessageItem item : batch) {
                JsonNode event = read(item.getBody().toString()).path("event");
                if (account.equals(event.path("accountId").asText())) {
                    mine.add(event);
                    queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
                }
            }
        } while (!batch.isEmpty());
        return mine;
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
