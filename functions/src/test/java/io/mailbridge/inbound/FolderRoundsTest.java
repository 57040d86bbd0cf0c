package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1));
        awaitStarted(1);
        List<Future<Optional<Integer>>> waiters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiters.add(threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1)));
        }
        // Another folder is not held up by this one.
        assertEquals(Optional.of(2), rounds.request("sentitems", folder -> started.incrementAndGet(), result -> true, result -> false, PATIENCE, -1));
        awaitWaiting(waiters);
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(3), runner.get(), "the runner ran the round the waiters asked for, and answers its result");
        for (Future<Optional<Integer>> waiter : waiters) {
            assertEquals(Optional.empty(), waiter.get(), "a covered request leaves follow-ups to the runner");
        }
        assertEquals(3, started.get(), "one round for the first request, one for the fifty that came during it");
        assertEquals(Optional.of(4), rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1), "the folder is free again");
    }

    @Test
    void requestsTheRoundTheyCameDuringAlreadyCoveredNeedNoRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1));
        awaitStarted(1);
        // About what round 1 turns out to have seen (its result is 1).
        List<Future<Optional<Integer>>> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiters.add(threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> result == 1, PATIENCE, -1)));
        }
        awaitWaiting(waiters);
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(1), runner.get());
        for (Future<Optional<Integer>> waiter : waiters) {
            assertEquals(Optional.empty(), waiter.get());
        }
        assertEquals(1, started.get(), "no round after the one that covered every request that came during it");
    }

    @Test
    void oneRequestTheRoundDidNotCoverStillGetsTheRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1));
        awaitStarted(1);
        List<Future<Optional<Integer>>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> result == 1, PATIENCE, -1)));
        }
        waiters.add(threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1)));
        awaitWaiting(waiters);
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(2), runner.get());
        for (Future<Optional<Integer>> waiter : waiters) {
            assertEquals(Optional.empty(), waiter.get());
        }
        assertEquals(2, started.get());
    }

    @Test
    void aRoundThatCannotGoOnEndsTheRequestsWaitingForTheNext() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> false, result -> false, PATIENCE, -1));
        awaitStarted(1);
        Future<Optional<Integer>> waiter = threads.submit(() -> rounds.request("inbox", this::round, result -> false, result -> false, PATIENCE, -1));
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
        }, result -> true, result -> false, PATIENCE, -1));
        awaitStarted(1);
        Future<Optional<Integer>> waiter = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1));
        awaitWaiting(List.of(waiter));
        mayFail.countDown();

        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, runner::get).getCause() instanceof IllegalStateException);
        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, waiter::get).getCause() instanceof IllegalStateException);
    }

    @Test
    void aRequestThatWaitedPastItsPatienceGetsTheImpatientAnswerToActOnItself() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false, PATIENCE, -1));
        awaitStarted(1);

        assertEquals(Optional.of(-1), rounds.request("inbox", this::round, result -> true, result -> false, java.time.Duration.ofMillis(1), -1),
                "a hung round does not hold the request for good");
        firstRoundMayEnd.countDown();
        assertEquals(Optional.of(2), runner.get(), "the runner still ran the round the request had asked for");
    }

    private void awaitStarted(int rounds) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (started.get() < rounds) {
            assertTrue(System.nanoTime() < deadline, "the round did not start");
            Thread.sleep(5);
        }
    }

    /** Polls (with a deadline) until every waiter is parked in the request, i.e. has registered for the next round. */
    private void awaitWaiting(List<Future<Optional<Integer>>> waiters) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().filter(t -> t.getState() == Thread.State.TIMED_WAITING)
                .filter(t -> List.of(t.getStackTrace()).stream().anyMatch(frame -> frame.getMethodName().equals("request")
                        && frame.getClassName().equals(FolderRounds.class.getName()))).count() < waiters.size()) {
            assertTrue(System.nanoTime() < deadline, "the requests did not start waiting");
            Thread.sleep(5);
        }
    }
}
