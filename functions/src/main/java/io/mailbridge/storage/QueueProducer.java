package io.mailbridge.storage;

import com.azure.storage.queue.QueueAsyncClient;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.mailbridge.telemetry.QueueTraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts messages on the app's queues, base64-encoded as queue triggers expect by default
 * (host.json extensions.queues.messageEncoding). JSON messages carry the sender's W3C trace context.
 */
public final class QueueProducer {
    /** A queue message holds 64 KiB once base64-encoded, which leaves 48 KiB of UTF-8. */
    public static final int MAX_MESSAGE_BYTES = 48 * 1024;

    private final StorageClients storage;
    private final Map<String, QueueClient> queues = new ConcurrentHashMap<>();
    private final Map<String, QueueAsyncClient> asyncQueues = new ConcurrentHashMap<>();

    public QueueProducer(StorageClients storage) {
        this.storage = storage;
    }

    public void send(String queue, String message) {
        send(queue, message, Duration.ZERO);
    }

    /** Sends a message that stays invisible for {@code delay}: how work is rescheduled. */
    public void send(String queue, String message, Duration delay) {
        checkSize(queue, message);
        client(queue).sendMessageWithResponse(traced(message), delay, null, null, null);
    }

    /**
     * Sends a message, or throws once {@code deadline} has passed without the queue's answer (a RuntimeException caused by
     * TimeoutException). The put is called off then, its connection closed, so work a caller gave up on does not pile up
     * on a stalled storage account; a put the service had already taken may still be stored, so a caller that retries
     * may leave two copies.
     */
    public void sendWithin(String queue, String message, Duration deadline) {
        checkSize(queue, message);
        // The sync client's own timeout only stops waiting (the put runs on in the SDK's pool); a cancelled reactive put stops.
        QueueAsyncClient client = asyncQueues.computeIfAbsent(queue, name -> {
            QueueClient sync = client(name);
            return new QueueClientBuilder().pipeline(sync.getHttpPipeline()).endpoint(sync.getQueueUrl())
                    .messageEncoding(QueueMessageEncoding.BASE64).buildAsyncClient();
        });
        client.sendMessageWithResponse(traced(message), Duration.ZERO, null).timeout(deadline).block();
    }

    private QueueClient client(String queue) {
        return queues.computeIfAbsent(queue, name -> storage.queues().getQueueClient(name));
    }

    private static void checkSize(String queue, String message) {
        int size = bytes(message);
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("A message for queue " + queue + " has " + size
                    + " bytes; a queue message holds at most " + MAX_MESSAGE_BYTES + " (store the payload elsewhere)");
        }
    }

    /** The consumer continues this trace; a message that would outgrow the queue goes without it rather than not at all. */
    private static String traced(String message) {
        String traced = QueueTraceContext.inject(message);
        return bytes(traced) <= MAX_MESSAGE_BYTES ? traced : message;
    }

    private static int bytes(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length;
    }
}
