package io.mailbridge.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Coalesces this instance's requests for one folder: one round in flight and at most one more behind it.
 * A request that comes while a round runs only marks the folder wanted and returns at once: the runner
 * goes once more after its round, and that round, starting after the request, sees its change (a delta
 * round covers every change before it). Answering at once loses nothing: the runner's own queue message
 * stays on the queue, its lease renewed, until its last round ends, and comes back if a round fails or
 * the instance dies. So a storm costs each of its messages a look-up, not a wait for a round. A request
 * the round turns out to cover anyway (its delta already saw the mail the request is about) needs no
 * round after it.
 *
 * <p>The runner starts that round no sooner than {@code spacing} after the previous one began, so a storm's
 * requests gather into one round per spacing rather than one per round's length; a request that comes during
 * this pause needs nothing more, as the round the pause leads to starts after it. A folder with no round in
 * flight starts its round at once.
 *
 * @param <K> what names a folder
 * @param <R> how a round ended
 */
final class FolderRounds<K, R> {
    /** Folders with rounds in flight. */
    private final Map<K, InFlight<R>> wanted = new HashMap<>();
    private final Duration spacing;

    /** What came for a folder during its current round; nothing is kept while the runner pauses before the next one. */
    private static final class InFlight<R> {
        private final List<Predicate<R>> during = new ArrayList<>();
        private boolean pausing;
    }

    /** {@code spacing}: the least time from the start of one round of a folder to the start of the round after it. */
    FolderRounds(Duration spacing) {
        this.spacing = spacing;
    }

    /**
     * Runs {@code round} for the folder, again for as long as requests came during the last one that its
     * result does not cover ({@code covered}) and {@code goOn} accepts its result, and answers the last
     * round's result to this caller, which alone acts on it (e.g. reschedules). Empty when a round was in
     * flight: this request is marked for the round after it. A round that throws ends the rounds; the
     * exception reaches this caller.
     */
    Optional<R> request(K folder, Function<K, R> round, Predicate<R> goOn, Predicate<R> covered) {
        synchronized (wanted) {
            InFlight<R> inFlight = wanted.get(folder);
            if (inFlight != null) {
                if (!inFlight.pausing) {
                    inFlight.during.add(covered);
                }
                return Optional.empty();
            }
            wanted.put(folder, new InFlight<>());
        }
        try {
            while (true) {
                long started = System.nanoTime();
                R result = round.apply(folder);
                synchronized (wanted) {
                    InFlight<R> inFlight = wanted.get(folder);
                    if (!goOn.test(result) || inFlight.during.stream().allMatch(request -> request.test(result))) {
                        // Requests that came during a round that cannot go on are left to what the caller does with its result.
                        wanted.remove(folder);
                        return Optional.of(result);
                    }
                    inFlight.during.clear();
                    inFlight.pausing = true;
                }
                pauseUntil(started + spacing.toNanos());
                synchronized (wanted) {
                    wanted.get(folder).pausing = false;
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (wanted) {
                wanted.remove(folder);
            }
            throw e;
        }
    }

    /** The runner's queue message stays leased meanwhile. Interrupted (the host stopping), it goes on to its round at once. */
    private static void pauseUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
