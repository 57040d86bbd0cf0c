package io.mailbridge.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.NoTelemetry;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook's work while Graph waits: verify each notification, and queue one message per POST. */
@ExtendWith(AzuriteExtension.class)
class NotificationIntakeIT {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final AtomicInteger tableRequests = new AtomicInteger();
    private NotificationIntake intake;
    private Subscriptions subscriptions;
    private String queue;
    private QueueClient raw;
    private TableClient rawTable;
    private Azurite azurite;

    @BeforeEach
    void setUp(Azurite azurite) {
        this.azurite = azurite;
        StorageClients storage = TestStorage.clients(azurite);
        String table = TestStorage.newTable(storage, "subs");
        String index = TestStorage.newTable(storage, "subsindex");
        subscriptions = new Subscriptions(storage, table, index);
        rawTable = storage.tables().getTableClient(table);
        queue = TestStorage.newQueue(storage, "changes");
        raw = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(queue).buildClient();
        // The intake reads subscriptions through a client that counts its requests to the table service.
        TableServiceClient countedTables = new TableServiceClientBuilder().connectionString(azurite.connectionString())
                .addPolicy(new HttpPipelineSyncPolicy() {
                    @Override
                    protected void beforeSendingRequest(HttpPipelineCallContext context) {
                        tableRequests.incrementAndGet();
                    }
                }).buildClient();
        intake = new NotificationIntake(new Subscriptions(new StorageClients(countedTables, storage.queues(), storage.blobs()), table, index),
                new QueueProducer(storage), Clock.fixed(NOW, ZoneOffset.UTC));
        subscriptions.save(new MailSubscription("sub-1", "acct", "ada", "ada@contoso.example", "inbox", MailSubscription.hashOf("secret-state-1"),
                NOW.plusSeconds(3600)));
    }

    private static String notification(String subscriptionId, String clientState, String messageId) {
        return "{\"subscriptionId\":\"" + subscriptionId + "\",\"clientState\":\"" + clientState + "\",\"changeType\":\"created\","
                + "\"resource\":\"Users/x/Messages/" + messageId + "\",\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.Message\","
                + "\"id\":\"" + messageId + "\"},\"tenantId\":\"t\"}";
    }

    private static NotificationIntake.Post batch(String... notifications) {
        return post("{\"value\":[" + String.join(",", notifications) + "]}");
    }

    private static NotificationIntake.Post post(String body) {
        return new NotificationIntake.Post(Optional.empty(), OptionalLong.of(body.getBytes(StandardCharsets.UTF_8).length), Optional.of(body));
    }

    private static NotificationIntake.Post validation(String token, Optional<String> body, OptionalLong declaredLength) {
        return new NotificationIntake.Post(Optional.of(token), declaredLength, body);
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
                intake.receive(validation("Validation: Testing client application", Optional.empty(), OptionalLong.of(0)), queue, "changeType"));
        assertEquals(List.of(), queued());
    }

    @Test
    void aValidationRequestIsEchoedAsPlainTextOnlyWithoutABody() throws Exception {
        NotificationIntake.Outcome.Malformed withBody = assertInstanceOf(NotificationIntake.Outcome.Malformed.class,
                intake.receive(validation("<script>x</script>", Optional.of("<html>"), OptionalLong.of(6)), queue, "changeType"));
        NotificationIntake.Outcome.Malformed declaredBody = assertInstanceOf(NotificationIntake.Outcome.Malformed.class,
                intake.receive(validation("token", Optional.empty(), OptionalLong.of(6)), queue, "changeType"));

        assertEquals(new NotificationIntake.Outcome.Malformed(400, "A validation request has no body: Graph sends validationToken"
                + " with an empty POST"), withBody);
        assertEquals(400, declaredBody.status());
        assertEquals(new NotificationIntake.Outcome.Validation("token"),
                intake.receive(validation("token", Optional.empty(), OptionalLong.empty()), queue, "changeType"), "chunked, and empty");
        assertEquals(List.of(), queued());
    }

    @Test
    void bothEndpointsEchoTheDecodedTokenWithNosniffAndRefuseAValidationWithABody() {
        URI uri = URI.create("https://stamp.example/api/graph/notifications?validationToken=Validation%3A%20Testing%20%3Cb%3E");
        List<Function<FunctionHttpRequest<Optional<String>>, HttpResponseMessage>> endpoints = List.of(new GraphWebhookFunction(intake, NoTelemetry.METRICS)::run,
                new GraphLifecycleFunction(intake)::run);
        for (Function<FunctionHttpRequest<Optional<String>>, HttpResponseMessage> endpoint : endpoints) {
            var echo = (FunctionHttpResponse) endpoint.apply(FunctionHttpRequest.of(uri, HttpMethod.POST,
                    Map.of("Content-Type", "text/plain; charset=utf-8", "Content-Length", "0"), Optional.empty()));
            var withBody = (FunctionHttpResponse) endpoint.apply(FunctionHttpRequest.of(uri, HttpMethod.POST,
                    Map.of("Content-Type", "text/html", "Content-Length", "23"), Optional.of("<script>alert(1)</script>")));

            assertEquals(200, echo.status().value());
            assertEquals("Validation: Testing <b>", echo.text());
            assertEquals("text/plain; charset=utf-8", echo.getHeader("Content-Type"));
            assertEquals("nosniff", echo.getHeader("X-Content-Type-Options"));
            assertEquals(400, withBody.status().value());
            assertEquals("application/problem+json; charset=utf-8", withBody.getHeader("Content-Type"));
        }
    }

    @Test
    void aBodyDeclaredLargerThanAnyGraphBatchIsRefusedUnread() throws Exception {
        var refused = intake.receive(new NotificationIntake.Post(Optional.empty(), OptionalLong.of(NotificationIntake.MAX_BODY_BYTES + 1L),
                Optional.of("{\"value\":[" + notification("sub-1", "secret-state-1", "m1") + "]}")), queue, "changeType");

        assertEquals(new NotificationIntake.Outcome.Malformed(413, "The body is larger than any Graph notification batch (1000000 bytes)"),
                refused);
        assertEquals(0, tableRequests.get());
        assertEquals(List.of(), queued());
    }

    @Test
    void tenThousandMadeUpSubscriptionsCostAtMostTheCappedLookUps() throws Exception {
        List<String> items = new ArrayList<>();
        items.add(notification("sub-1", "secret-state-1", "genuine"));
        for (int i = 0; i < 10_000; i++) {
            items.add("{\"subscriptionId\":\"made-up-" + i + "\",\"clientState\":\"x\",\"changeType\":\"created\"}");
        }
        items.add(notification("sub-1", "secret-state-1", "genuine-after-the-flood"));
        NotificationIntake.Post flood = batch(items.toArray(String[]::new));
        assertTrue(flood.declaredLength().getAsLong() > 700 * 1024, "as large as the 781 KiB POST this guards against");

        // The bounded look-ups are what keep this POST inside Graph's 3 s; its latency is the bench kit's to measure.
        var outcome = intake.receive(flood, queue, "changeType");

        assertEquals(new NotificationIntake.Outcome.Accepted(2, 10_000), outcome);
        assertTrue(tableRequests.get() <= NotificationIntake.MAX_SUBSCRIPTIONS_PER_POST,
                () -> tableRequests.get() + " table requests for one POST");
        assertEquals(List.of("genuine", "genuine-after-the-flood"),
                queued().get(0).changes().stream().map(NotificationIntake.Change::messageId).toList(), "a subscription seen is served");
    }

    @Test
    void notificationsOfSubscriptionsBeyondTheCapAreRejectedUnlookedUp() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < NotificationIntake.MAX_SUBSCRIPTIONS_PER_POST; i++) {
            items.add(notification("unknown-" + i, "x", "m" + i));
        }
        items.add(notification("sub-1", "secret-state-1", "late"));

        assertEquals(new NotificationIntake.Outcome.Accepted(0, items.size()), intake.receive(batch(items.toArray(String[]::new)), queue,
                "changeType"));
        assertEquals(NotificationIntake.MAX_SUBSCRIPTIONS_PER_POST, tableRequests.get());
        assertEquals(List.of(), queued());
    }

    @Test
    void queuesOneMessagePerPostHoweverManyNotificationsItCarries() throws Exception {
        var outcome = intake.receive(batch(notification("sub-1", "secret-state-1", "m1"), notification("sub-1", "secret-state-1", "m2"),
                notification("sub-1", "secret-state-1", "m3")), queue, "changeType");

        assertEquals(new NotificationIntake.Outcome.Accepted(3, 0), outcome);
        assertEquals(1, tableRequests.get(), "a subscription is looked up once per POST");
        List<NotificationIntake.Batch> batches = queued();
        assertEquals(1, batches.size());
        assertEquals(List.of("m1", "m2", "m3"), batches.get(0).changes().stream().map(NotificationIntake.Change::messageId).toList());
        assertEquals("acct", batches.get(0).changes().get(0).accountId());
        assertEquals("inbox", batches.get(0).changes().get(0).folder());
    }

    @Test
    void aStormOfPostsLooksTheSubscriptionUpOnceAndADeleteOrRenewalIsSeenAtOnce() throws Exception {
        // The service's own instance: its writes are what invalidate its look-ups.
        NotificationIntake sameInstance = new NotificationIntake(subscriptions, new QueueProducer(TestStorage.clients(azurite)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertEquals(new NotificationIntake.Outcome.Accepted(1, 0),
                    intake.receive(batch(notification("sub-1", "secret-state-1", "m" + i)), queue, "changeType"));
        }
        assertEquals(1, tableRequests.get(), "five POSTs of one subscription cost one look-up");

        assertEquals(new NotificationIntake.Outcome.Accepted(1, 0),
                sameInstance.receive(batch(notification("sub-1", "secret-state-1", "m5")), queue, "changeType"));
        MailSubscription renewed = new MailSubscription("sub-1", "acct", "ada", "ada@contoso.example", "inbox",
                MailSubscription.hashOf("renewed-state"), NOW.plusSeconds(7200));
        subscriptions.save(renewed);
        assertEquals(new NotificationIntake.Outcome.Accepted(0, 1),
                sameInstance.receive(batch(notification("sub-1", "secret-state-1", "m6")), queue, "changeType"));
        assertEquals(new NotificationIntake.Outcome.Accepted(1, 0),
                sameInstance.receive(batch(notification("sub-1", "renewed-state", "m7")), queue, "changeType"));
        subscriptions.delete(renewed);
        assertEquals(new NotificationIntake.Outcome.Accepted(0, 1),
                sameInstance.receive(batch(notification("sub-1", "renewed-state", "m8")), queue, "changeType"));
    }

    @Test
    void aSharedSubscriptionConcernsEveryConnectionOfTheMailbox() throws Exception {
        subscriptions.save(new MailSubscription("sub-1", "other-acct", "ada2", "ada@contoso.example", "inbox",
                MailSubscription.hashOf("secret-state-1"), NOW.plusSeconds(3600)));

        intake.receive(batch(notification("sub-1", "secret-state-1", "m1")), queue, "changeType");

        assertEquals(List.of("acct/ada", "other-acct/ada2"), queued().get(0).changes().stream()
                .map(change -> change.accountId() + "/" + change.userId()).sorted().toList());
    }

    @Test
    void forgedNotificationsAreRejectedAndNothingIsQueued() throws Exception {
        assertEquals(new NotificationIntake.Outcome.Accepted(0, 2), intake.receive(
                batch(notification("sub-1", "guessed", "m1"), notification("unknown", "secret-state-1", "m2")), queue, "changeType"));
        assertInstanceOf(NotificationIntake.Outcome.Malformed.class, intake.receive(post("{not json"), queue, "changeType"));
        assertEquals(new NotificationIntake.Outcome.Malformed(400, "The body has no value array"),
                intake.receive(post("{\"value\":{}}"), queue, "changeType"));
        assertEquals(413, assertInstanceOf(NotificationIntake.Outcome.Malformed.class, intake.receive(
                new NotificationIntake.Post(Optional.empty(), OptionalLong.empty(),
                        Optional.of("{\"value\":[\"" + "x".repeat(10 * 1024 * 1024) + "\"]}")), queue, "changeType")).status());

        assertEquals(List.of(), queued());
    }

    @Test
    void theStoredHashIsNoClientStateItself() throws Exception {
        // A record holding the hash as if it were the secret: presenting what the table holds proves nothing.
        subscriptions.save(new MailSubscription("sub-2", "acct", "bob", "bob@contoso.example", "inbox", MailSubscription.hashOf("state-2"),
                NOW.plusSeconds(3600)));

        assertEquals(new NotificationIntake.Outcome.Accepted(0, 1), intake.receive(
                batch(notification("sub-2", MailSubscription.hashOf("state-2"), "m1")), queue, "changeType"));
        assertEquals(new NotificationIntake.Outcome.Accepted(1, 0), intake.receive(
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
        assertInstanceOf(NotificationIntake.Outcome.Unavailable.class, intake.receive(
                batch(notification("sub-1", "secret-state-1", "m1")), UniqueNames.next("missing"), "changeType"));
    }

    @Test
    void aQueueThatNeverAnswersIsGivenUpWithinGraphsWindowAndGraphIsToldToDeliverAgain() throws Exception {
        // The queue endpoint accepts connections and never answers, as a storage account stalled under load; tables stay on Azurite.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            String stalledQueues = "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME + ";AccountKey=" + Azurite.ACCOUNT_KEY
                    + ";TableEndpoint=http://127.0.0.1:" + azurite.tablePort() + "/" + Azurite.ACCOUNT_NAME
                    + ";QueueEndpoint=http://127.0.0.1:" + silent.getLocalPort() + "/" + Azurite.ACCOUNT_NAME
                    + ";BlobEndpoint=http://127.0.0.1:" + azurite.blobPort() + "/" + Azurite.ACCOUNT_NAME + ";";
            GraphWebhookFunction webhook = new GraphWebhookFunction(new NotificationIntake(subscriptions,
                    new QueueProducer(StorageClients.connect(new StorageSettings.ConnectionString(stalledQueues))),
                    Clock.fixed(NOW, ZoneOffset.UTC)), NoTelemetry.METRICS);
            String body = "{\"value\":[" + notification("sub-1", "secret-state-1", "m1") + "]}";
            FunctionHttpRequest<Optional<String>> post = FunctionHttpRequest.of(URI.create("https://stamp.example/api/graph/notifications"),
                    HttpMethod.POST, Map.of("Content-Type", "application/json", "Content-Length",
                            String.valueOf(body.getBytes(StandardCharsets.UTF_8).length)), Optional.of(body));

            // Graph retries what is answered within its 10 s, even an error; without a deadline the put would wait for the SDK's retries.
            var answer = (FunctionHttpResponse) assertTimeoutPreemptively(NotificationIntake.QUEUE_DEADLINE.plusSeconds(7),
                    () -> webhook.run(post), "answered within Graph's 10 s");

            assertEquals(503, answer.status().value());
            assertEquals("application/problem+json; charset=utf-8", answer.getHeader("Content-Type"));
            assertEquals("The notifications could not be queued", answer.json().path("detail").asText());
            assertFalse(held.isEmpty(), "the put reached the silent endpoint");
            // Called off, not left running in the SDK's pool: work Graph will deliver again must not pile up on a stalled account.
            for (Socket socket : held) {
                assertTrue(closedByPeerWithin(socket, Duration.ofSeconds(5)), "the abandoned put's connection was closed");
                socket.close();
            }
        }
    }

    /** Reads what the peer sent until it closes the connection: true if it did within {@code limit}. */
    private static boolean closedByPeerWithin(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        try {
            while (socket.getInputStream().read(new byte[4096]) >= 0) {
                // The request's bytes; the close comes after them.
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }
}
