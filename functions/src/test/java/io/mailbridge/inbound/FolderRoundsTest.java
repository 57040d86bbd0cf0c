package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.testkit.Polling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** However many requests come for one folder while a round runs, they share one more round. */
class FolderRoundsTest {
    private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(1);
    private static final java.time.Duration WAITING = java.time.Duration.ofSeconds(10);
    private static final java.time.Duration POLL = java.time.Duration.ofMillis(5);
    private final FolderRounds<String, Integer> rounds = new FolderRounds<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger started = new AtomicInteger();
    private final CountDownLatch firstRoundMayEnd = new CountDownLatch(1);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private Integer round(String folder) {
        int number = started.incrementAndGet();
        if (number == 1) {
            try {
                firstRoundMayEnd.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return number;
    }

    @Test
    void requestsDuringARoundShareTheOneRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, PATIENCE, -1));
        awaitStarted(1);
        List<Future<Optional<Integer>>> waiters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiters.add(threads.submit(() -> rounds.request("inbox", this::round, result -> true, PATIENCE, -1)));
        }
        // Another folder is not held up by this one.
        assertEquals(Optional.of(2), rounds.request("sentitems", folder -> started.incrementAndGet(), result -> true, PATIENCE, -1));
        awaitWaiting(waiters);
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(3), runner.get(), "the runner ran the round the waiters asked for, and answers its result");
        for (Future<Optional<Integer>> waiter : waiters) {
            assertEquals(Optional.empty(), waiter.get(), "a covered request leaves follow-ups to the runner");
        }
        assertEquals(3, started.get(), "one round for the first request, one for the fifty that came during it");
        assertEquals(Optional.of(4), rounds.request("inbox", this::round, result -> true, PATIENCE, -1), "the folder is free again");
    }

    @Test
    void aRoundThatCannotGoOnEndsTheRequestsWaitingForTheNext() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> false, PATIENCE, -1));
        awaitStarted(1);
        Future<Optional<Integer>> waiter = threads.submit(() -> rounds.request("inbox", this::round, result -> false, PATIENCE, -1));
        awaitWaiting(List.of(waiter));
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(1), runner.get());
        assertEquals(Optional.empty(), waiter.get());
        assertEquals(1, started.get());
    }

    @Test
    void aFailedRoundFailsTheRequestsWaitingOnItSoTheirMessagesAreTriedAgain() throws Exception {
        CountDownLatch mayFail = new CountDownLatch(1);
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", folder -> {
            started.incrementAndGet();
            try {
                mayFail.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("storage down");
        }, result -> true, PATIENCE, -1));
        awaitStarted(1);
        Future<Optional<Integer>> waiter = threads.submit(() -> rounds.request("inbox", this::round, result -> true, PATIENCE, -1));
        awaitWaiting(List.of(waiter));
        mayFail.countDown();

        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, runner::get).getCause() instanceof IllegalStateException);
        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, waiter::get).getCause() instanceof IllegalStateException);
    }

    @Test
    void aRequestThatWaitedPastItsPatienceGetsTheImpatientAnswerToActOnItself() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, PATIENCE, -1));
        awaitStarted(1);

        assertEquals(Optional.of(-1), rounds.request("inbox", this::round, result -> true, java.time.Duration.ofMillis(1), -1),
                "a hung round does not hold the request for good");
        firstRoundMayEnd.countDown();
        assertEquals(Optional.of(2), runner.get(), "the runner still ran the round the request had asked for");
    }

    private void awaitStarted(int rounds) {
        Polling.await("the round started", WAITING).pollInterval(POLL).until(() -> started.get() >= rounds);
    }

    /** Polls until every waiter is parked in the request, i.e. has registered for the next round. */
    private void awaitWaiting(List<Future<Optional<Integer>>> waiters) {
        Polling.await("the requests waiting", WAITING).pollInterval(POLL)
                .until(() -> Thread.getAllStackTraces().keySet().stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING)
                        .filter(t -> List.of(t.getStackTrace()).stream().anyMatch(frame -> frame.getMethodName().equals("request")
                                && frame.getClassName().equals(FolderRounds.class.getName()))).count() >= waiters.size());
    }
}
