package io.mailbridge.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Coalesces this instance's requests for one folder: one round in flight and at most one queued behind
 * it. A request that comes while a round runs waits for the next round, which starts after it and so
 * sees its change; however many come, they share that round. A request the round it came during turns
 * out to cover anyway (its delta already saw the mail the request is about) needs no round after it.
 * Waiting (rather than returning at once) keeps each request's queue message until a round has covered
 * it, so a crash loses none.
 *
 * @param <K> what names a folder
 * @param <R> how a round ended
 */
final class FolderRounds<K, R> {
    private final Map<K, Folder<R>> running = new HashMap<>();

    /** A request that came during a round: answered by the first round that ends after it and covers it. */
    private record Waiter<R>(Predicate<R> covered, CompletableFuture<R> answer) {}

    /** A folder with a round in flight, and the requests that came during that round. */
    private static final class Folder<R> {
        private List<Waiter<R>> arrived = new ArrayList<>();
    }

    /**
     * Runs {@code round} for the folder, again for as long as requests came during the last one that it
     * did not cover ({@code covered}) and {@code goOn} accepts its result. Answers the last round's result
     * to the caller that ran them, which alone acts on it (e.g. reschedules); empty to a caller whose
     * request a round of another caller covered. A round that throws fails the requests waiting on it too.
     * A request that waited {@code patience} without its round ending (a hung call) gets {@code impatient},
     * for its caller to act on.
     */
    Optional<R> request(K folder, Function<K, R> round, Predicate<R> goOn, Predicate<R> covered, Duration patience, R impatient) {
        Folder<R> state;
        CompletableFuture<R> answer = null;
        synchronized (running) {
            state = running.get(folder);
            if (state == null) {
                state = new Folder<>();
                running.put(folder, state);
            } else {
                answer = new CompletableFuture<>();
                state.arrived.add(new Waiter<>(covered, answer));
            }
        }
        if (answer != null) {
            try {
                answer.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                return Optional.of(impatient);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a sync round", e);
            }
            return Optional.empty();
        }
        return Optional.of(runRounds(folder, state, round, goOn));
    }

    private R runRounds(K folder, Folder<R> state, Function<K, R> round, Predicate<R> goOn) {
        List<Waiter<R>> answering = List.of();
        while (true) {
            R result;
            try {
                result = round.apply(folder);
            } catch (RuntimeException | Error e) {
                synchronized (running) {
                    running.remove(folder);
                    answering.forEach(waiter -> waiter.answer().completeExceptionally(e));
                    state.arrived.forEach(waiter -> waiter.answer().completeExceptionally(e));
                }
                throw e;
            }
            synchronized (running) {
                answering.forEach(waiter -> waiter.answer().complete(result));
                // Requests that came during a round that cannot go on are left to what the caller does with its result.
                boolean canGoOn = goOn.test(result);
                List<Waiter<R>> uncovered = new ArrayList<>();
                for (Waiter<R> waiter : state.arrived) {
                    if (canGoOn && !waiter.covered().test(result)) {
                        uncovered.add(waiter);
                    } else {
                        waiter.answer().complete(result);
                    }
                }
                state.arrived = new ArrayList<>();
                if (uncovered.isEmpty()) {
                    running.remove(folder);
                    return result;
                }
                answering = uncovered;
            }
        }
    }
}
