package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.SendMessageResult;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.fixtures.QueueFunctions;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(AzuriteExtension.class)
class QueueTriggerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Azurite azurite;
    private QueueServiceClient queues;
    private final String queueName = UniqueNames.next("q");

    @BeforeEach
    void connect(Azurite azurite) {
        this.azurite = azurite;
        this.queues = new QueueServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
    }

    @Test
    void aMessageThatAlwaysFailsIsTriedMaxDequeueCountTimesThenMovedToThePoisonQueue() throws Exception {
        Invocations<QueueFunctions.Attempt> attempts = new Invocations<>();
        String sent = base64("{\"mailbox\":\"m-1\"}");
        DevHost host = start(QueueFunctions.AlwaysFails.class, () -> new QueueFunctions.AlwaysFails(attempts),
                "{\"maxDequeueCount\":3,\"maxPollingInterval\":\"00:00:01\"}");
        try {
            queue().sendMessage(sent);
            Polling.await("a message in " + queueName + "-poison", WAIT).until(() -> visibleMessages(poisonQueue()).size() == 1);
        } finally {
            host.close();
        }

        assertEquals(List.of(1L, 2L, 3L), attempts.all().stream().map(QueueFunctions.Attempt::dequeueCount).toList());
        assertEquals(sent, visibleMessages(poisonQueue()).get(0).getBody().toString(), "moved as it was, still base64");
        assertEquals(0, queue().getProperties().getApproximateMessagesCount(), "deleted from its queue");
    }

    @Test
    void aMessageAlreadyTriedMaxDequeueCountTimesGoesStraightToThePoisonQueue() throws Exception {
        Invocations<QueueFunctions.Attempt> attempts = new Invocations<>();
        queue().create();
        queue().sendMessage(base64("tried before"));
        // Two earlier hosts fetched it and stopped before finishing: each fetch counted.
        for (int i = 0; i < 2; i++) {
            QueueMessageItem fetched = queue().receiveMessage();
            queue().updateMessage(fetched.getMessageId(), fetched.getPopReceipt(), null, Duration.ZERO);
        }

        DevHost host = start(QueueFunctions.AlwaysFails.class, () -> new QueueFunctions.AlwaysFails(attempts),
                "{\"maxDequeueCount\":2,\"maxPollingInterval\":\"00:00:01\"}");
        try {
            Polling.await("a message in " + queueName + "-poison", WAIT).until(() -> visibleMessages(poisonQueue()).size() == 1);
        } finally {
            host.close();
        }
        assertEquals(List.of(), attempts.all(), "the function never ran");
    }

    @Test
    void aMessageThatFailsOnceRunsExactlyTwiceWithItsBindingData() throws Exception {
        Invocations<QueueFunctions.Attempt> attempts = new Invocations<>();
        DevHost host = start(QueueFunctions.FailsOnce.class, () -> new QueueFunctions.FailsOnce(attempts), "{\"maxPollingInterval\":\"00:00:01\"}");
        SendMessageResult sent;
        try {
            sent = queue().sendMessage(base64("retry me"));
            attempts.awaitAtLeast(2, WAIT);
            Polling.await("the message deleted", WAIT).until(() -> queue().getProperties().getApproximateMessagesCount() == 0);
        } finally {
            host.close();
        }

        List<QueueFunctions.Attempt> all = attempts.all();
        assertEquals(2, all.size(), all.toString());
        assertEquals(List.of(1L, 2L), all.stream().map(QueueFunctions.Attempt::dequeueCount).toList());
        for (QueueFunctions.Attempt attempt : all) {
            assertEquals("retry me", attempt.message());
            assertEquals(sent.getMessageId(), attempt.id());
            assertNotNull(attempt.popReceipt());
            assertEquals(sent.getInsertionTime().toInstant(), attempt.insertionTime().toInstant());
            assertTrue(OffsetDateTime.parse(attempt.nextVisibleTime()).isAfter(attempt.insertionTime()), attempt.nextVisibleTime());
        }
        assertTrue(!all.get(0).popReceipt().equals(all.get(1).popReceipt()), "each fetch has its own pop receipt");
    }

    @Test
    void aFailedMessageStaysInvisibleForTheVisibilityTimeout() throws Exception {
        Invocations<QueueFunctions.Attempt> attempts = new Invocations<>();
        DevHost host = start(QueueFunctions.FailsOnce.class, () -> new QueueFunctions.FailsOnce(attempts),
                "{\"visibilityTimeout\":\"00:00:02\",\"maxPollingInterval\":\"00:00:00.500\"}");
        try {
            queue().sendMessage(base64("later"));
            attempts.awaitAtLeast(2, WAIT);
        } finally {
            host.close();
        }

        List<QueueFunctions.Attempt> all = attempts.all();
        Duration gap = Duration.ofNanos(all.get(1).atNanos() - all.get(0).atNanos());
        assertTrue(gap.compareTo(Duration.ofMillis(1500)) >= 0, "retried after " + gap);
    }

    @Test
    void messagesFromTheAppsQueueProducerArriveByteForByte() throws Exception {
        Invocations<Object> received = new Invocations<>();
        String bytesQueue = UniqueNames.next("q");
        List<String> messages = List.of(
                "{\"subject\":\"Grüße aus Köln – 📬\",\"body\":\"line 1\\nline 2\",\"quote\":\"\\\"q\\\"\"}",
                "中文, العربية, emoji 🧪🚀, and a trailing space ",
                "plain");
        DevHost host = start(QueueFunctions.Records.class, () -> new QueueFunctions.Records(received), "{\"maxPollingInterval\":\"00:00:01\"}",
                Map.of("TEXT_QUEUE", queueName, "BYTES_QUEUE", bytesQueue));
        try {
            assertNotNull(queue().getProperties(), "the host created its trigger's queue");
            QueueProducer producer = new QueueProducer(StorageClients.connect(new StorageSettings.ConnectionString(azurite.connectionString())));
            for (String message : messages) {
                producer.send(queueName, message);
                producer.send(bytesQueue, message);
            }
            received.awaitAtLeast(2 * messages.size(), WAIT);
        } finally {
            host.close();
        }

        List<String> texts = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        received.all().forEach(value -> {
            if (value instanceof String) {
                texts.add((String) value);
            } else {
                bytes.add((byte[]) value);
            }
        });
        assertEquals(new HashSet<>(messages), new HashSet<>(texts));
        assertEquals(messages.size(), texts.size());
        for (String message : messages) {
            assertTrue(bytes.stream().anyMatch(b -> Arrays.equals(b, message.getBytes(StandardCharsets.UTF_8))), message);
        }
    }

    @Test
    void withMessageEncodingNoneTheTextArrivesAsItIs() throws Exception {
        Invocations<Object> received = new Invocations<>();
        DevHost host = start(QueueFunctions.Records.class, () -> new QueueFunctions.Records(received),
                "{\"messageEncoding\":\"none\",\"maxPollingInterval\":\"00:00:01\"}",
                Map.of("TEXT_QUEUE", queueName, "BYTES_QUEUE", UniqueNames.next("q")));
        try {
            queue().sendMessage("not base64: {\"ü\":1}");
            received.awaitAtLeast(1, WAIT);
        } finally {
            host.close();
        }
        assertEquals(List.of("not base64: {\"ü\":1}"), received.all());
    }

    @Test
    void aMessageThatIsNotBase64GoesToThePoisonQueueWithoutRunning() throws Exception {
        Invocations<Object> received = new Invocations<>();
        DevHost host = start(QueueFunctions.Records.class, () -> new QueueFunctions.Records(received), "{\"maxPollingInterval\":\"00:00:01\"}",
                Map.of("TEXT_QUEUE", queueName, "BYTES_QUEUE", UniqueNames.next("q")));
        try {
            queue().sendMessage("plain text, not base64!");
            Polling.await("a message in " + queueName + "-poison", WAIT).until(() -> visibleMessages(poisonQueue()).size() == 1);
        } finally {
            host.close();
        }
        assertEquals(List.of(), received.all());
        assertEquals("plain text, not base64!", visibleMessages(poisonQueue()).get(0).getBody().toString());
    }

    @Test
    void aLongRunningFunctionKeepsItsMessageInvisible() throws Exception {
        Invocations<String> started = new Invocations<>();
        CountDownLatch release = new CountDownLatch(1);
        Duration fetchVisibility = Duration.ofSeconds(4);
        DevHost host = DevHost.builder()
                .functionClasses(List.of(QueueFunctions.Blocks.class))
                .injector(new FixtureInjector().with(QueueFunctions.Blocks.class, () -> new QueueFunctions.Blocks(started, release)))
                .hostJson(hostJson("{\"batchSize\":1,\"maxPollingInterval\":\"00:00:01\"}"))
                .settings(settings(Map.of("QUEUE", queueName)))
                .queueFetchVisibility(fetchVisibility)
                .start();
        try {
            queue().sendMessage(base64("slow work"));
            started.awaitAtLeast(1, WAIT);
            // Twice the fetch visibility: without renewal the message would reappear in this window.
            Duration window = fetchVisibility.multipliedBy(2).plusSeconds(1);
            Polling.await("the running message invisible throughout", window.plusSeconds(1)).during(window).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertEquals(List.of(), visibleMessages(queue()), "the running message became visible"));
            release.countDown();
            Polling.await("the message deleted", WAIT).until(() -> queue().getProperties().getApproximateMessagesCount() == 0);
        } finally {
            release.countDown();
            host.close();
        }
        assertEquals(List.of("slow work"), started.all());
    }

    @Test
    void closingMidBatchFinishesFetchedMessagesAndLeavesTheRestUntouched() throws Exception {
        Invocations<String> started = new Invocations<>();
        CountDownLatch release = new CountDownLatch(1);
        queue().create();
        for (int i = 1; i <= 5; i++) {
            queue().sendMessage(base64("m" + i));
        }
        String hostJson = "{\"batchSize\":2,\"newBatchThreshold\":0,\"maxPollingInterval\":\"00:00:01\"}";
        DevHost first = start(QueueFunctions.Blocks.class, () -> new QueueFunctions.Blocks(started, release), hostJson);
        started.awaitAtLeast(2, WAIT);

        Thread closing = new Thread(first::close);
        closing.start();
        // Release the two runs only once the host has stopped fetching, or the poller could take more.
        Polling.await("the poller stopped", WAIT)
                .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("devhost-queue-blocks-poller")));
        release.countDown();
        closing.join(WAIT.toMillis());

        assertTrue(!closing.isAlive(), "close() did not return");
        List<String> firstRun = started.all();
        assertEquals(2, firstRun.size(), firstRun.toString());
        List<PeekedMessageItem> left = visibleMessages(queue());
        assertEquals(3, left.size(), "fetched messages are deleted, the others are still there");
        left.forEach(message -> assertEquals(0, message.getDequeueCount(), "never fetched"));

        DevHost second = start(QueueFunctions.Blocks.class, () -> new QueueFunctions.Blocks(started, release), hostJson);
        try {
            started.awaitAtLeast(5, WAIT);
            Polling.await("every message deleted", WAIT).until(() -> queue().getProperties().getApproximateMessagesCount() == 0);
        } finally {
            second.close();
        }
        List<String> all = started.all();
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), all.stream().sorted().toList(), "each message ran exactly once");
    }

    private <T> DevHost start(Class<T> functions, Supplier<T> factory, String queuesJson) throws Exception {
        return start(functions, factory, queuesJson, Map.of("QUEUE", queueName));
    }

    private <T> DevHost start(Class<T> functions, Supplier<T> factory, String queuesJson, Map<String, String> names)
            throws Exception {
        return DevHost.builder()
                .functionClasses(List.of(functions))
                .injector(new FixtureInjector().with(functions, factory))
                .hostJson(hostJson(queuesJson))
                .settings(settings(names))
                .start();
    }

    private Map<String, String> settings(Map<String, String> names) {
        Map<String, String> settings = new HashMap<>(names);
        settings.put("AzureWebJobsStorage", azurite.connectionString());
        return settings;
    }

    private Path hostJson(String queues) throws Exception {
        Path file = Files.createTempFile(dir, "host", ".json");
        Files.writeString(file, "{\"version\":\"2.0\",\"extensions\":{\"queues\":" + queues + "}}");
        return file;
    }

    private QueueClient queue() {
        return queues.getQueueClient(queueName);
    }

    private QueueClient poisonQueue() {
        return queues.getQueueClient(queueName + "-poison");
    }

    private static List<PeekedMessageItem> visibleMessages(QueueClient queue) {
        try {
            List<PeekedMessageItem> messages = new ArrayList<>();
            queue.peekMessages(32, null, null).forEach(messages::add);
            return messages;
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
