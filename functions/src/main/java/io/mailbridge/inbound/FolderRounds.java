package io.mailbridge.inbound;

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
 * @param <K> what names a folder
 * @param <R> how a round ended
 */
final class FolderRounds<K, R> {
    /** Folders with a round in flight, each with what would cover each request that came during it. */
    private final Map<K, List<Predicate<R>>> wanted = new HashMap<>();

    /**
     * Runs {@code round} for the folder, again for as long as requests came during the last one that its
     * result does not cover ({@code covered}) and {@code goOn} accepts its result, and answers the last
     * round's result to this caller, which alone acts on it (e.g. reschedules). Empty when a round was in
     * flight: this request is marked for the round after it. A round that throws ends the rounds; the
     * exception reaches this caller.
     */
    Optional<R> request(K folder, Function<K, R> round, Predicate<R> goOn, Predicate<R> covered) {
        synchronized (wanted) {
            List<Predicate<R>> during = wanted.get(folder);
            if (during != null) {
                during.add(covered);
                return Optional.empty();
            }
            wanted.put(folder, new ArrayList<>());
        }
        try {
            while (true) {
                R result = round.apply(folder);
                synchronized (wanted) {
                    if (!goOn.test(result) || wanted.get(folder).stream().allMatch(request -> request.test(result))) {
                        // Requests that came during a round that cannot go on are left to what the caller does with its result.
                        wanted.remove(folder);
                        return Optional.of(result);
                    }
                    wanted.put(folder, new ArrayList<>());
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (wanted) {
                wanted.remove(folder);
            }
            throw e;
        }
    }
}
