package io.mailbridge.devhost.queue;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.mailbridge.devhost.runtime.Failures;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.InvocationResult;
import io.mailbridge.devhost.runtime.TriggerBinding;
import io.mailbridge.devhost.runtime.TriggerInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one queue-triggered function the way the host's queue listener does. It fetches up to
 * batchSize messages whenever no more than newBatchThreshold are in flight, backs off while the
 * queue is empty, keeps each message invisible while its function runs, deletes it on success,
 * makes it visible again after visibilityTimeout on failure, and moves it to {@code <queue>-poison}
 * once it has been tried maxDequeueCount times.
 */
final class QueueTriggerListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueTriggerListener.class.getName());
    /**
     * As long as the host waits for one: Azure.Core's network timeout (RetryOptions.NetworkTimeout, 100 s by default). A receive
     * given up on sooner may still be answered by the service, and the messages it took stay invisible for the fetch lease.
     */
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(100);

    static final String QUEUE_TRIGGER = "QueueTrigger";
    static final String DEQUEUE_COUNT = "DequeueCount";
    static final String ID = "Id";
    static final String POP_RECEIPT = "PopReceipt";
    static final String INSERTION_TIME = "InsertionTime";
    static final String EXPIRATION_TIME = "ExpirationTime";
    static final String NEXT_VISIBLE_TIME = "NextVisibleTime";
    /** The binding data a queue trigger provides, by the names the host gives it. */
    static final Set<String> BINDING_DATA =
            Set.of(QUEUE_TRIGGER, DEQUEUE_COUNT, ID, POP_RECEIPT, INSERTION_TIME, EXPIRATION_TIME, NEXT_VISIBLE_TIME);

    private final FunctionDefinition function;
    private final TriggerBinding.Queue binding;
    private final QueueClient queue;
    private final Optional<QueueClient> poisonQueue;
    private final QueueOptions options;
    private final Duration fetchVisibility;
    private final FunctionInvoker invoker;
    private final ScheduledExecutorService renewals;
    private final ExecutorService workers;
    private final Thread poller;
    private final Object lock = new Object();
    private int inFlight;
    private boolean stopping;

    QueueTriggerListener(FunctionDefinition function, QueueClient queue, Optional<QueueClient> poisonQueue, QueueOptions options,
            Duration fetchVisibility, FunctionInvoker invoker, ScheduledExecutorService renewals) {
        this.function = function;
        this.binding = (TriggerBinding.Queue) function.trigger();
        this.queue = queue;
        this.poisonQueue = poisonQueue;
        this.options = options;
        this.fetchVisibility = fetchVisibility;
        this.invoker = invoker;
        this.renewals = renewals;
        // At most newBatchThreshold + batchSize messages are in flight, so each starts at once.
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(options.newBatchThreshold() + options.batchSize(), task -> {
            Thread thread = new Thread(task, "devhost-queue-" + function.name() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.poller = new Thread(this::poll, "devhost-queue-" + function.name() + "-poller");
        poller.setDaemon(true);
    }

    void start() {
        poller.start();
    }

    /** Stops fetching; messages already fetched keep running. */
    void stopFetching() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /**
     * Stops fetching, then waits until every fetched message has run and been deleted, released or
     * moved: none is lost, none runs twice. Messages not yet fetched stay in the queue untouched.
     */
    @Override
    public void close() {
        stopFetching();
        try {
            poller.join();
            workers.shutdown();
            while (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.info(() -> "Waiting for " + inFlight() + " invocations of " + function.name() + " to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    private void poll() {
        PollingBackoff backoff = new PollingBackoff(QueueOptions.MIN_POLLING_INTERVAL, options.maxPollingInterval());
        boolean foundSinceLastDelay = false;
        boolean reportedFailure = false;
        while (awaitCapacity()) {
            List<QueueMessageItem> batch = List.of();
            try {
                batch = receive();
                reportedFailure = false;
            } catch (RuntimeException e) {
                if (!reportedFailure) {
                    // A fetch that timed out may still have taken messages: storage hides them for the fetch's visibility.
                    LOG.warning(() -> "Cannot fetch messages of queue " + binding.queueName() + " for " + function.name()
                            + ": " + Failures.describe(e) + "; retrying (any messages it took come back within "
                            + fetchVisibility.toMinutes() + " min)");
                    reportedFailure = true;
                }
            }
            if (batch.isEmpty()) {
                pause(backoff.next(foundSinceLastDelay));
                foundSinceLastDelay = false;
            } else {
                foundSinceLastDelay = true;
                for (QueueMessageItem message : batch) {
                    synchronized (lock) {
                        inFlight++;
                    }
                    workers.execute(() -> process(message));
                }
            }
        }
    }

    private List<QueueMessageItem> receive() {
        List<QueueMessageItem> batch = new ArrayList<>();
        queue.receiveMessages(options.batchSize(), fetchVisibility, RECEIVE_TIMEOUT, Context.NONE).forEach(batch::add);
        return batch;
    }

    /** Waits until no more than newBatchThreshold messages are in flight; false once stopping. */
    private boolean awaitCapacity() {
        synchronized (lock) {
            while (!stopping && inFlight > options.newBatchThreshold()) {
                waitOn(0);
            }
            return !stopping;
        }
    }

    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            long remaining;
            while (!stopping && (remaining = deadline - System.nanoTime()) > 0) {
                waitOn(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        }
    }

    private void waitOn(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void process(QueueMessageItem message) {
        try {
            run(message);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not complete message " + message.getMessageId() + " of queue " + binding.queueName(), e);
        } finally {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }
    }

    private void run(QueueMessageItem message) {
        String text = message.getBody().toString();
        if (message.getDequeueCount() > options.maxDequeueCount()) {
            // Tried often enough already (a host stopped mid-run): straight to the poison queue.
            moveToPoisonQueue(message, message.getPopReceipt(), text, exhausted());
            return;
        }
        Optional<byte[]> payload = options.messageEncoding().decode(text);
        if (payload.isEmpty()) {
            moveToPoisonQueue(message, message.getPopReceipt(), text,
                    "is not " + options.messageEncoding().name().toLowerCase(Locale.ROOT) + "-encoded");
            return;
        }
        MessageLease lease = MessageLease.start(queue, message.getMessageId(), message.getPopReceipt(), fetchVisibility, renewals);
        InvocationResult result;
        String popReceipt;
        try {
            result = invoker.invoke(function, input(message, payload.get()));
        } finally {
            popReceipt = lease.end();
        }
        complete(message, popReceipt, text, result.succeeded());
    }

    private TriggerInput input(QueueMessageItem message, byte[] payload) {
        String asText = new String(payload, StandardCharsets.UTF_8);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(QUEUE_TRIGGER, asText);
        data.put(DEQUEUE_COUNT, message.getDequeueCount());
        data.put(ID, message.getMessageId());
        data.put(POP_RECEIPT, message.getPopReceipt());
        data.put(INSERTION_TIME, message.getInsertionTime());
        data.put(EXPIRATION_TIME, message.getExpirationTime());
        data.put(NEXT_VISIBLE_TIME, message.getTimeNextVisible());
        data.values().removeIf(value -> value == null);
        Object value = binding.messageType() == TriggerBinding.MessageType.BYTES ? payload : asText;
        return new TriggerInput(value, data, "New queue message detected on '" + binding.queueName() + "'.");
    }

    private void complete(QueueMessageItem message, String popReceipt, String text, boolean succeeded) {
        if (succeeded) {
            delete(message.getMessageId(), popReceipt);
        } else if (poisonQueue.isEmpty()) {
            // Without a poison queue the host leaves a failed message invisible, so it cannot loop fast.
        } else if (message.getDequeueCount() >= options.maxDequeueCount()) {
            moveToPoisonQueue(message, popReceipt, text, exhausted());
        } else {
            release(message.getMessageId(), popReceipt);
        }
    }

    private String exhausted() {
        return "has reached MaxDequeueCount of " + options.maxDequeueCount();
    }

    /** Copies the message's text as it is (still encoded) to the poison queue, creating it if missing, then deletes it. */
    private void moveToPoisonQueue(QueueMessageItem message, String popReceipt, String text, String why) {
        if (poisonQueue.isEmpty()) {
            return;
        }
        QueueClient poison = poisonQueue.get();
        LOG.warning(() -> "Message " + message.getMessageId() + " of queue " + binding.queueName() + " " + why
                + ". Moving message to queue '" + poison.getQueueName() + "'.");
        try {
            poison.sendMessage(text);
        } catch (QueueStorageException e) {
            if (!QueueErrorCode.QUEUE_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
            poison.createIfNotExists();
            poison.sendMessage(text);
        }
        delete(message.getMessageId(), popReceipt);
    }

    private void release(String messageId, String popReceipt) {
        try {
            queue.updateMessage(messageId, popReceipt, null, options.visibilityTimeout());
        } catch (QueueStorageException e) {
            ignoreIfGone(e);
        }
    }

    private void delete(String messageId, String popReceipt) {
        try {
            queue.deleteMessage(messageId, popReceipt);
        } catch (QueueStorageException e) {
            ignoreIfGone(e);
        }
    }

    /** As in the host: a message someone else took over, or that is gone, needs nothing more. */
    private static void ignoreIfGone(QueueStorageException e) {
        int status = e.getStatusCode();
        if (status != 404 && !(status == 400 && QueueErrorCode.POP_RECEIPT_MISMATCH.equals(e.getErrorCode()))) {
            throw e;
        }
    }
}
