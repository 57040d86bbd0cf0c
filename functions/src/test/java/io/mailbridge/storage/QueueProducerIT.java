package io.mailbridge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueStorageException;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class QueueProducerIT {
    private QueueProducer producer;
    private String queue;
    /** Reads messages as stored, without decoding, to see exactly what a queue trigger would be given. */
    private QueueClient raw;

    @BeforeEach
    void createQueue(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        producer = new QueueProducer(storage);
        queue = TestStorage.newQueue(storage, "producer");
        raw = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(queue).buildClient();
    }

    @Test
    void storesMessagesBase64EncodedAsQueueTriggersExpect() {
        String message = "{\"subject\":\"Grüße ✓ — 日本\"}";

        producer.send(queue, message);

        String stored = raw.receiveMessage().getBody().toString();
        assertEquals(Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8)), stored);
    }

    @Test
    void aDelayedMessageStaysInvisibleUntilItsTime() {
        producer.send(queue, "later", Duration.ofMinutes(5));

        assertEquals(0, raw.peekMessages(32, null, null).stream().count());
        assertEquals(1, raw.getProperties().getApproximateMessagesCount());
    }

    @Test
    void aPutWithADeadlineStoresTheMessageOrFailsAsAnyPutDoes() {
        producer.sendWithin(queue, "in time", Duration.ofSeconds(3));

        assertEquals(Base64.getEncoder().encodeToString("in time".getBytes(StandardCharsets.UTF_8)), raw.receiveMessage().getBody().toString());
        String missing = UniqueNames.next("missing");
        assertEquals(assertThrows(QueueStorageException.class, () -> producer.send(missing, "x")).getErrorCode(),
                assertThrows(QueueStorageException.class, () -> producer.sendWithin(missing, "x", Duration.ofSeconds(3))).getErrorCode());
    }

    @Test
    void refusesAMessageThatWouldNotFitOnceEncoded() {
        String tooBig = "x".repeat(QueueProducer.MAX_MESSAGE_BYTES + 1);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> producer.send(queue, tooBig));

        assertTrue(error.getMessage().contains("at most " + QueueProducer.MAX_MESSAGE_BYTES), error.getMessage());
        assertEquals(0, raw.getProperties().getApproximateMessagesCount(), "nothing half-written");
        producer.send(queue, "x".repeat(QueueProducer.MAX_MESSAGE_BYTES));
        assertEquals(1, raw.getProperties().getApproximateMessagesCount(), "the largest allowed message fits");
    }
}
