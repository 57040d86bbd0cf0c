package io.mailbridge.sandbox.crm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the CRM received: every delivery attempt in order, each event stored once by id with the
 * number of times it came, and the faults still to be served. Waits take a deadline.
 */
final class Inbox {
    private final List<CrmDelivery> deliveries = new ArrayList<>();
    private final Map<String, CrmEvent> eventsById = new LinkedHashMap<>();
    private final Map<String, Integer> timesReceived = new HashMap<>();
    private final Deque<CrmFault> faults = new ArrayDeque<>();

    synchronized void schedule(int count, CrmFault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    synchronized Optional<CrmFault> nextFault() {
        return Optional.ofNullable(faults.poll());
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    /** Records one delivery; an accepted event whose id is already stored becomes a repeat. */
    synchronized CrmOutcome record(CrmDelivery delivery) {
        CrmDelivery recorded = delivery;
        if (delivery.outcome() instanceof CrmOutcome.Accepted(CrmEvent event)) {
            String id = event.id();
            timesReceived.merge(id, 1, Integer::sum);
            if (eventsById.putIfAbsent(id, event) != null) {
                recorded = new CrmDelivery(delivery.receivedAt(), delivery.headers(), delivery.body(),
                        new CrmOutcome.Repeated(id));
            }
        }
        deliveries.add(recorded);
        notifyAll();
        return recorded.outcome();
    }

    synchronized List<CrmDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    synchronized List<CrmEvent> events() {
        return List.copyOf(eventsById.values());
    }

    synchronized List<CrmEvent> eventsFor(String accountId, String userId) {
        return eventsById.values().stream().filter(event -> event.isFor(accountId, userId)).toList();
    }

    synchronized int timesReceived(String eventId) {
        return timesReceived.getOrDefault(eventId, 0);
    }

    /** Waits until at least {@code count} stored events match, and returns all that do. */
    synchronized List<CrmEvent> awaitEvents(int count, Predicate<? super CrmEvent> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<CrmEvent> found = eventsById.values().stream().filter(matching).toList();
            if (found.size() >= count) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + count + " matching event(s) at the CRM within " + timeout
                        + ", found " + found.size() + " among " + eventsById.size() + " stored, after "
                        + deliveries.size() + " deliveries");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for events at the CRM", e);
            }
        }
    }
}
