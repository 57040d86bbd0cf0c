package io.mailbridge.storage;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A timer's fan-out: walks a listing a page at a time and puts one queue message per item that has work, with
 * a bounded number of puts in flight. Memory holds one page, and 10,000 items are scheduled in seconds rather
 * than one storage round trip after another. A put that fails does not stop the rest; the walk reports it at
 * the end (the next timer run schedules that item again).
 */
public final class QueueFanOut {
    /** Table storage answers at most 1,000 entities a page. */
    public static final int PAGE_SIZE = 1000;
    /** Puts in flight at once: well inside a queue's 2,000 messages a second, and few threads. */
    static final int PARALLEL_PUTS = 16;

    /** One queue message to put. */
    public record Job(String queue, String message) {}

    /** A listing read a page at a time, such as {@code MailboxConnections::forEachPage}. */
    public interface Pages<T> {
        void forEachPage(int pageSize, Consumer<List<T>> page);
    }

    private final QueueProducer producer;

    public QueueFanOut(QueueProducer producer) {
        this.producer = producer;
    }

    /**
     * Walks {@code pages}, puts the job of each item that has one, and returns how many were put.
     *
     * @throws IllegalStateException after the walk, when any put failed
     */
    public <T> int run(Pages<T> pages, Function<T, Optional<Job>> jobOf) {
        return each(pages, item -> jobOf.apply(item).map(job -> () -> producer.send(job.queue(), job.message())));
    }

    /**
     * The same walk for any storage write per item (backfilling an index): runs the work of each item that has some,
     * {@link #PARALLEL_PUTS} at a time, and returns how many succeeded.
     *
     * @throws IllegalStateException after the walk, when any failed
     */
    public static <T> int each(Pages<T> pages, Function<T, Optional<Runnable>> workOf) {
        // The work carries the caller's trace context, so each queue message continues the caller's trace (QueueProducer).
        ExecutorService puts = Context.current().wrap(Executors.newFixedThreadPool(PARALLEL_PUTS, task -> {
            Thread thread = new Thread(task, "fan-out");
            thread.setDaemon(true);
            return thread;
        }));
        int[] counts = new int[2];
        RuntimeException[] first = new RuntimeException[1];
        try {
            pages.forEachPage(PAGE_SIZE, page -> {
                List<Future<?>> inFlight = new ArrayList<>();
                for (T item : page) {
                    workOf.apply(item).ifPresent(work -> inFlight.add(puts.submit(work)));
                }
                for (Future<?> put : inFlight) {
                    try {
                        put.get();
                        counts[0]++;
                    } catch (ExecutionException e) {
                        counts[1]++;
                        first[0] = first[0] != null ? first[0]
                                : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while fanning out", e);
                    }
                }
            });
        } finally {
            puts.shutdownNow();
        }
        if (first[0] != null) {
            throw new IllegalStateException(counts[1] + " of " + (counts[0] + counts[1]) + " fanned-out writes failed", first[0]);
        }
        return counts[0];
    }
}
