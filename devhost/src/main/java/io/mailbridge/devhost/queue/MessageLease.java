package io.mailbridge.devhost.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueStorageException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a fetched message invisible while its function runs, as the host does: the visibility is
 * renewed halfway to expiry, and each renewal's new pop receipt is the one that finally deletes or
 * releases the message.
 */
final class MessageLease {
    private static final Logger LOG = Logger.getLogger(MessageLease.class.getName());

    private final QueueClient queue;
    private final String messageId;
    private final Duration visibility;
    private final ScheduledFuture<?> renewal;
    private String popReceipt;
    private boolean ended;

    private MessageLease(QueueClient queue, String messageId, String popReceipt, Duration visibility, ScheduledExecutorService scheduler) {
        this.queue = queue;
        this.messageId = messageId;
        this.popReceipt = popReceipt;
        this.visibility = visibility;
        long halfway = Math.max(1, visibility.toMillis() / 2);
        this.renewal = scheduler.scheduleWithFixedDelay(this::renew, halfway, halfway, TimeUnit.MILLISECONDS);
    }

    static MessageLease start(QueueClient queue, String messageId, String popReceipt, Duration visibility,
            ScheduledExecutorService scheduler) {
        return new MessageLease(queue, messageId, popReceipt, visibility, scheduler);
    }

    private synchronized void renew() {
        if (ended) {
            return;
        }
        try {
            popReceipt = queue.updateMessage(messageId, popReceipt, null, visibility).getPopReceipt();
        } catch (QueueStorageException | IllegalStateException e) {
            LOG.log(Level.WARNING, "Could not keep message " + messageId + " of queue " + queue.getQueueName()
                    + " invisible; another poll may run it again", e);
        }
    }

    /** Stops renewing (waiting for a renewal under way) and returns the current pop receipt. */
    synchronized String end() {
        ended = true;
        renewal.cancel(false);
        return popReceipt;
    }
}
