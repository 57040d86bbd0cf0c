package io.mailbridge.sandbox.graph;

import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.http.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Outlook's throttling per app and mailbox: at most 4 requests in flight (the fifth answers 429
 * MailboxConcurrency) and a request budget per 10 minutes; plus injected faults (429 storms, 5xx)
 * and an added latency that lets tests hold requests open.
 */
public final class MailboxGate {
    public static final int MAX_CONCURRENT = 4;
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final SandboxClock clock;
    private volatile int requestsPerTenMinutes;
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();
    /** Per mailbox, what its next requests meet: a fault, or (empty) nothing, for faults that strike mid-way. */
    private final Map<String, Deque<Optional<GraphFault>>> faults = new ConcurrentHashMap<>();
    private final Map<String, Duration> latency = new ConcurrentHashMap<>();

    public MailboxGate(SandboxClock clock, int requestsPerTenMinutes) {
        this.clock = clock;
        this.requestsPerTenMinutes = requestsPerTenMinutes;
    }

    /** Held while a request runs; closing it frees the mailbox's slot. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** The next `times` requests to the user's mailbox fail with the fault. */
    public void inject(String userId, GraphFault fault, int times) {
        inject(userId, 0, fault, times);
    }

    /** After the next `passing` requests to the user's mailbox go through, `times` requests fail with the fault. */
    public void inject(String userId, int passing, GraphFault fault, int times) {
        Deque<Optional<GraphFault>> queue = faults.computeIfAbsent(userId, id -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < passing; i++) {
                queue.addLast(Optional.empty());
            }
            for (int i = 0; i < times; i++) {
                queue.addLast(Optional.of(fault));
            }
        }
    }

    public void clearFaults(String userId) {
        faults.remove(userId);
    }

    /** Every request to the user's mailbox takes at least this long (Duration.ZERO to stop). */
    public void latency(String userId, Duration extra) {
        latency.put(userId, extra);
    }

    public void requestsPerTenMinutes(int limit) {
        this.requestsPerTenMinutes = limit;
    }

    /** Whether a request got in: with a pass to close when done, or with Graph's answer why not. */
    public sealed interface Admission {
        record Admitted(Pass pass) implements Admission {
        }

        record Refused(Response response) implements Admission {
        }
    }

    public Admission admit(String userId) {
        Deque<Optional<GraphFault>> queue = faults.get(userId);
        GraphFault fault = null;
        if (queue != null) {
            synchronized (queue) {
                Optional<GraphFault> next = queue.pollFirst();
                fault = next == null ? null : next.orElse(null);
            }
        }
        if (fault != null) {
            return new Admission.Refused(switch (fault) {
                case GraphFault.Throttled(Duration retryAfter, RetryAfterForm form) ->
                        GraphError.throttled("TooManyRequests", "Too many requests. Please retry after the time in the Retry-After header.",
                                // An HTTP-date counts from the wall clock: the Date header the JDK's server stamps is read against it.
                                form.render(retryAfter, Instant.now()));
                case GraphFault.ServerError(int status) when status == 503 ->
                        GraphError.of(503, "ErrorServerBusy", "The server cannot service this request right now. Try again later.").withHeader("Retry-After", "1");
                case GraphFault.ServerError(int status) ->
                        GraphError.of(status, "ErrorInternalServerError", "An internal server error occurred. The operation failed.");
            });
        }
        Semaphore slots = inFlight.computeIfAbsent(userId, id -> new Semaphore(MAX_CONCURRENT));
        if (!slots.tryAcquire()) {
            return new Admission.Refused(GraphError.throttled("ApplicationThrottled", "Application is over its MailboxConcurrency limit.", Duration.ofSeconds(1)));
        }
        Optional<Response> overBudget = countRequest(userId);
        if (overBudget.isPresent()) {
            slots.release();
            return new Admission.Refused(overBudget.get());
        }
        Duration extra = latency.getOrDefault(userId, Duration.ZERO);
        if (!extra.isZero()) {
            try {
                Thread.sleep(extra.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Admission.Admitted(slots::release);
    }

    private Optional<Response> countRequest(String userId) {
        Deque<Instant> times = recent.computeIfAbsent(userId, id -> new ArrayDeque<>());
        Instant now = clock.now();
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
                times.removeFirst();
            }
            if (times.size() >= requestsPerTenMinutes) {
                return Optional.of(GraphError.throttled("ApplicationThrottled", "Application is over its MailboxRequests limit.",
                        Duration.between(now, times.peekFirst().plus(WINDOW))));
            }
            times.addLast(now);
        }
        return Optional.empty();
    }
}
