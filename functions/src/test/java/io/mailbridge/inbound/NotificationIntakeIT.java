package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook's work while Graph waits: verify each notification, and queue one message per POST. */
@ExtendWith(AzuriteExtension.class)
class NotificationIntakeIT {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private NotificationIntake intake;
    private Subscriptions subscriptions;
    private String queue;
    private QueueClient raw;
    private TableClient rawTable;

    @BeforeEach
    void setUp(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        String table = TestStorage.newTable(storage, "subs");
        subscriptions = new Subscriptions(storage, table);
        rawTable = storage.tables().getTableClient(table);
        queue = TestStorage.newQueue(storage, "changes");
        raw = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(queue).buildClient();
        intake = new NotificationIntake(subscriptions, new QueueProducer(storage), Clock.fixed(NOW, ZoneOffset.UTC));
        subscriptions.save(new MailSubscription("sub-1", "acct", "ada", "ada@contoso.example", "inbox", MailSubscription.hashOf("secret-state-1"),
                NOW.plusSeconds(3600)));
    }

    private static String notification(String subscriptionId, String clientState, String messageId) {
        return "{\"subscriptionId\":\"" + subscriptionId + "\",\"clientState\":\"" + clientState + "\",\"changeType\":\"created\","
                + "\"resource\":\"Users/x/Messages/" + messageId + "\",\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.Message\","
                + "\"id\":\"" + messageId + "\"},\"tenantId\":\"t\"}";
    }

    private static Optional<String> batch(String... notifications) {
        return Optional.of("{\"value\":[" + String.join(",", notifications) + "]}");
    }

    private List<NotificationIntake.Batch> queued() throws Exception {
        List<NotificationIntake.Batch> batches = new java.util.ArrayList<>();
        for (QueueMessageItem item : raw.receiveMessages(32)) {
            String json = new String(Base64.getDecoder().decode(item.getBody().toString()), StandardCharsets.UTF_8);
            batches.add(Json.MAPPER.readValue(json, NotificationIntake.Batch.class));
        }
        return batches;
    }

    @Test
    void answersGraphsValidationWithTheTokenItself() throws Exception {
        assertEquals(new NotificationIntake.Outcome.Validation("Validation: Testing client application"),
                intake.receive("Validation: Testing client application", Optional.empty(), queue, "changeType"));
        assertEquals(List.of(), queued());
    }

    @Test
    void queuesOneMessagePerPostHoweverManyNotificationsItCarries() throws Exception {
        var outcome = intake.receive(null, batch(notification("sub-1", "secret-state-1", "m1"), notification("sub-1", "secret-state-1", "m2"),
                notification("sub-1", "secret-state-1", "m3")), queue, "changeType");

        assertEquals(new NotificationIntake.Outcome.Accepted(3, 0), outcome);
        List<NotificationIntake.Batch> batches = queued();
        assertEquals(1, batches.size());
        assertEquals(List.of("m1", "m2", "m3"), batches.get(0).changes().stream().map(NotificationIntake.Change::messageId).toList());
        assertEquals("acct", batches.get(0).changes().get(0).accountId());
        assertEquals("inbox", batches.get(0).changes().get(0).folder());
    }

    @Test
    void aSharedSubscriptionConcernsEveryConnectionOfTheMailbox() throws Exception {
        subscriptions.save(new MailSubscription("sub-1", "other-acct", "ada2", "ada@contoso.example", "inbox",
                MailSubscription.hashOf("secret-state-1"), NOW.plusSeconds(3600)));

        intake.receive(null, batch(notification("sub-1", "secret-state-1", "m1")), queue, "changeType");

        assertEquals(List.of("acct/ada", "other-acct/ada2"), queued().get(0).changes().stream()
                .map(change -> change.accountId() + "/" + change.userId()).sorted().toList());
    }

    @Test
    void forgedNotificationsAreRejectedAndNothingIsQueued() throws Exception {
        assertEquals(new NotificationIntake.Outcome.Accepted(0, 2), intake.receive(null,
                batch(notification("sub-1", "guessed", "m1"), notification("unknown", "secret-state-1", "m2")), queue, "changeType"));
        assertInstanceOf(NotificationIntake.Outcome.Malformed.class, intake.receive(null, Optional.of("{not json"), queue, "changeType"));
        assertEquals(new NotificationIntake.Outcome.Malformed(400, "The body has no value array"),
                intake.receive(null, Optional.of("{\"value\":{}}"), queue, "changeType"));
        assertEquals(413, ((NotificationIntake.Outcome.Malformed) intake.receive(null,
                Optional.of("{\"value\":[\"" + "x".repeat(10 * 1024 * 1024) + "\"]}"), queue, "changeType")).status());

        assertEquals(List.of(), queued());
    }

    @Test
    void theStoredHashIsNoClientStateItself() throws Exception {
        // A record holding the hash as if it were the secret: presenting what the table holds proves nothing.
        subscriptions.save(new MailSubscription("sub-2", "acct", "bob", "bob@contoso.example", "inbox", MailSubscription.hashOf("state-2"),
                NOW.plusSeconds(3600)));

        assertEquals(new NotificationIntake.Outcome.Accepted(0, 1), intake.receive(null,
                batch(notification("sub-2", MailSubscription.hashOf("state-2"), "m1")), queue, "changeType"));
        assertEquals(new NotificationIntake.Outcome.Accepted(1, 0), intake.receive(null,
                batch(notification("sub-2", "state-2", "m2")), queue, "changeType"));
        assertEquals(List.of("m2"), queued().stream().flatMap(b -> b.changes().stream()).map(NotificationIntake.Change::messageId).toList());
    }

    @Test
    void theTableHoldsTheClientStatesHashNeverTheClientState() {
        TableEntity stored = rawTable.getEntity("sub-1", "acct|ada");

        assertEquals(MailSubscription.hashOf("secret-state-1"), stored.getProperty("ClientStateHash"));
        assertFalse(stored.getProperties().values().stream().anyMatch(value -> String.valueOf(value).contains("secret-state-1")),
                stored.getProperties().toString());
    }

    @Test
    void aQueueThatCannotTakeTheBatchMakesGraphDeliverAgain() {
        assertInstanceOf(NotificationIntake.Outcome.Unavailable.class, intake.receive(null,
                batch(notification("sub-1", "secret-state-1", "m1")), UniqueNames.next("missing"), "changeType"));
    }
}
