package io.mailbridge.storage;

import com.azure.storage.queue.QueueClient;
import io.mailbridge.telemetry.QueueTraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Puts messages on the app's queues, base64-encoded as queue triggers expect by default
 * (host.json extensions.queues.messageEncoding). JSON messages carry the sender's W3C trace context.
 */
public final class QueueProducer {
    /** A queue message holds 64 KiB once base64-encoded, which leaves 48 KiB of UTF-8. */
    public static final int MAX_MESSAGE_BYTES = 48 * 1024;

    private final StorageClients storage;
    private final Map<String, QueueClient> queues = new ConcurrentHashMap<>();

    public QueueProducer(StorageClients storage) {
        this.storage = storage;
    }

    public void send(String queue, String message) {
        send(queue, message, Duration.ZERO);
    }

    /** Sends a message that stays invisible for {@code delay}: how work is rescheduled. */
    public void send(String queue, String message, Duration delay) {
        put(queue, message, delay, null);
    }

    /**
     * Sends a message, or throws once {@code deadline} has passed without the queue's answer (the SDK's own per-call
     * timeout: a RuntimeException caused by TimeoutException). The put is not called off: it may still complete later,
     * so a caller that retries may leave two copies.
     */
    public void sendWithin(String queue, String message, Duration deadline) {
        put(queue, message, Duration.ZERO, deadline);
    }

    /** {@code deadline} null: no limit but the SDK's own retries. */
    private void put(String queue, String message, Duration delay, Duration deadline) {
        int size = bytes(message);
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("A message for queue " + queue + " has " + size
                    + " bytes; a queue message holds at most " + MAX_MESSAGE_BYTES + " (store the payload elsewhere)");
        }
        // The consumer continues this trace; a message that would outgrow the queue goes without it rather than not at all.
        String traced = QueueTraceContext.inject(message);
        QueueClient client = queues.computeIfAbsent(queue, name -> storage.queues().getQueueClient(name));
        try {
            client.sendMessageWithResponse(bytes(traced) <= MAX_MESSAGE_BYTES ? traced : message, delay, null, deadline, null);
        } catch (RuntimeException e) {
            // With a deadline the SDK puts on its own thread and wraps a refusal in ExecutionException: throw it as send does.
            if (e.getCause() instanceof ExecutionException failed && failed.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw e;
        }
    }

    private static int bytes(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length;
    }
}
