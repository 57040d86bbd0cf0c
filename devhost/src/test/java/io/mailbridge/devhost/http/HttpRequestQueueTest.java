package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.testkit.Polling;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpRequestQueueTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<String> served = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();

    @Test
    void waitingRequestsTakeTheirTurnsInArrivalOrder() throws Exception {
        HttpRequestQueue queue = new HttpRequestQueue(new HttpOptions(1, 4));
        Thread first = serveBlocking(queue, "first");
        Polling.await("the first request is served", PATIENCE).until(() -> served.contains("first"));
        List<Thread> waiting = new ArrayList<>();
        for (String name : List.of("second", "third", "fourth")) {
            Thread thread = serveBlocking(queue, name);
            // Each waits for its turn before the next arrives, so arrival order is known.
            Polling.await(name + " waits for a turn", PATIENCE).until(() -> thread.getState() == Thread.State.WAITING);
            waiting.add(thread);
        }

        release.countDown();
        join(first);
        for (Thread thread : waiting) {
            join(thread);
        }

        assertEquals(List.of("first", "second", "third", "fourth"), served);
        assertEquals(1, mostRunning.get());
    }

    @Test
    void aRequestOverTheOutstandingLimitIsTurnedAwayAtOnceAndNeverServed() throws Exception {
        HttpRequestQueue queue = new HttpRequestQueue(new HttpOptions(1, 2));
        Thread first = serveBlocking(queue, "first");
        Polling.await("the first request is served", PATIENCE).until(() -> served.contains("first"));
        Thread second = serveBlocking(queue, "second");
        Polling.await("the second waits for a turn", PATIENCE).until(() -> second.getState() == Thread.State.WAITING);
        AtomicBoolean thirdRan = new AtomicBoolean();

        // On its own thread, so a queue that wrongly holds it fails the test instead of hanging it.
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.serve(() -> thirdRan.set(true));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertFalse(third.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "turned away while the others are outstanding");
        assertFalse(thirdRan.get());
        release.countDown();
        join(first);
        join(second);
        assertEquals(List.of("first", "second"), served);
        assertTrue(queue.serve(() -> served.add("after")), "room again once the others are answered");
    }

    @Test
    void unboundedServesEveryRequestAtOnce() throws Exception {
        HttpRequestQueue queue = new HttpRequestQueue(new HttpOptions(-1, -1));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.add(serveBlocking(queue, "request " + i));
        }

        Polling.await("all five served together", PATIENCE).until(() -> running.get() == 5);

        release.countDown();
        for (Thread thread : threads) {
            join(thread);
        }
        assertEquals(5, served.size());
    }

    @Test
    void concurrencyStaysWithinTheLimitAndAFailedServingFreesItsTurn() throws Exception {
        HttpRequestQueue queue = new HttpRequestQueue(new HttpOptions(2, -1));
        try {
            queue.serve(() -> {
                throw new IOException("the client went away");
            });
        } catch (IOException expected) {
            // its turn and its place are given back
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(serveBlocking(queue, "request " + i));
        }
        Polling.await("two served, four waiting", PATIENCE).until(() -> running.get() == 2
                && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() == 6);

        release.countDown();
        for (Thread thread : threads) {
            join(thread);
        }
        assertEquals(6, served.size());
        assertEquals(2, mostRunning.get());
    }

    /** Serves a request on its own thread that holds its turn until {@link #release}. */
    private Thread serveBlocking(HttpRequestQueue queue, String name) {
        Thread thread = new Thread(() -> {
            try {
                queue.serve(() -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    served.add(name);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        running.decrementAndGet();
                    }
                });
            } catch (Exception e) {
                throw new AssertionError(name, e);
            }
        }, name);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive(), thread.getName() + " finished");
    }
}
