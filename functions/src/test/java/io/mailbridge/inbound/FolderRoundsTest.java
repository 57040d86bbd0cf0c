package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.testkit.Polling;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * However many requests come for one folder while a round runs, or while the runner pauses before the next, they return
 * at once and share one more round.
 */
class FolderRoundsTest {
    private static final Duration WAITING = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration SPACING = Duration.ofMillis(200);
    private final FolderRounds<String, Integer> rounds = new FolderRounds<>(SPACING);
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
    void requestsDuringARoundReturnAtOnceAndShareTheOneRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false));
        awaitStarted(1);
        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> true, result -> false),
                    "a request during a round is covered by the runner's next round and does not wait for it");
        }
        // Another folder is not held up by this one.
        assertEquals(Optional.of(2), rounds.request("sentitems", folder -> started.incrementAndGet(), result -> true, result -> false));
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(3), runner.get(), "the runner ran the round the requests asked for, and answers its result");
        assertEquals(3, started.get(), "one round for the first request, one for the fifty that came during it");
        assertEquals(Optional.of(4), rounds.request("inbox", this::round, result -> true, result -> false), "the folder is free again");
    }

    @Test
    void requestsTheRoundTheyCameDuringCoveredAnywayNeedNoRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false));
        awaitStarted(1);
        for (int i = 0; i < 10; i++) {
            // About what round 1 turns out to have seen (its result is 1).
            assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> true, result -> result == 1));
        }
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(1), runner.get());
        assertEquals(1, started.get(), "no round after the one that covered every request that came during it");
    }

    @Test
    void oneRequestTheRoundDidNotCoverStillGetsTheRoundAfterIt() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> true, result -> false));
        awaitStarted(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> true, result -> result == 1));
        }
        assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> true, result -> false));
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(2), runner.get());
        assertEquals(2, started.get());
    }

    @Test
    void aRoundWithNoRequestDuringItIsTheLast() {
        assertEquals(Optional.of(1), rounds.request("inbox", folder -> started.incrementAndGet(), result -> true, result -> false));
        assertEquals(1, started.get());
    }

    @Test
    void aRoundThatCannotGoOnLeavesTheRequestsDuringItToItsCaller() throws Exception {
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", this::round, result -> false, result -> false));
        awaitStarted(1);
        assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> false, result -> false));
        firstRoundMayEnd.countDown();

        assertEquals(Optional.of(1), runner.get(), "the caller gets the result that stopped the rounds, and reschedules for all");
        assertEquals(1, started.get());
    }

    @Test
    void aFailedRoundReachesItsCallerWhoseMessageIsTriedAgainAndFreesTheFolder() throws Exception {
        CountDownLatch mayFail = new CountDownLatch(1);
        Future<Optional<Integer>> runner = threads.submit(() -> rounds.request("inbox", folder -> {
            started.incrementAndGet();
            try {
                mayFail.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("storage down");
        }, result -> true, result -> false));
        awaitStarted(1);
        assertEquals(Optional.empty(), rounds.request("inbox", this::round, result -> true, result -> false));
        mayFail.countDown();

        assertTrue(assertThrows(java.util.concurrent.ExecutionException.class, runner::get).getCause() instanceof IllegalStateException);
        assertEquals(1, started.get(), "no round after a failed one: the runner's message comes back and covers the request");
        assertEquals(Optional.of(2), rounds.request("inbox", this::round, result -> true, result -> false), "the folder is free again");
    }

    @Test
    void requestsDuringThePauseBeforeTheNextRoundAreServedByThatOneRound() throws Exception {
        FolderRounds<String, Integer> hourly = new FolderRounds<>(Duration.ofHours(1));
        AtomicReference<Thread> runnerThread = new AtomicReference<>();
        Function<String, Integer> round = folder -> {
            int number = started.incrementAndGet();
            if (number == 1) {
                // A request during round 1 (on the runner's own thread, so surely during it) asks for one more round.
                assertEquals(Optional.empty(), hourly.request(folder, f -> started.incrementAndGet(), result -> true, result -> false));
            }
            return number;
        };
        Future<Optional<Integer>> runner = threads.submit(() -> {
            runnerThread.set(Thread.currentThread());
            return hourly.request("inbox", round, result -> true, result -> false);
        });
        Polling.await("the runner pauses after round 1", WAITING).pollInterval(POLL)
                .until(() -> runnerThread.get() != null && runnerThread.get().getState() == Thread.State.TIMED_WAITING);
        assertEquals(1, started.get(), "the round after round 1 waits for the spacing");
        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.empty(), hourly.request("inbox", round, result -> true, result -> false), "a request during the pause waits for nothing");
        }
        // Interrupted (the host stopping), the runner ends its pause and runs the round at once.
        runnerThread.get().interrupt();

        assertEquals(Optional.of(2), runner.get());
        assertEquals(2, started.get(), "one round for the fifty that came during the pause: it started after them, so none after it");
    }

    @Test
    void anIdleFoldersRoundDoesNotWaitForTheSpacing() {
        FolderRounds<String, Integer> hourly = new FolderRounds<>(Duration.ofHours(1));

        assertTimeoutPreemptively(WAITING, () -> {
            assertEquals(Optional.of(1), hourly.request("inbox", folder -> started.incrementAndGet(), result -> true, result -> false));
            assertEquals(Optional.of(2), hourly.request("inbox", folder -> started.incrementAndGet(), result -> true, result -> false),
                    "a round right after another, with no round in flight, starts at once");
        }, "an hour's spacing holds up only a round behind one in flight");
    }

    private void awaitStarted(int rounds) {
        Polling.await("the round started", WAITING).pollInterval(POLL).until(() -> started.get() >= rounds);
    }
}
