package io.mailbridge.e2e.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: POSTs at a fixed rate whatever the server does, each timed from the moment it was
 * scheduled, not from when it could be sent, so a server that stalls is charged for every request that
 * queued behind the stall (no coordinated omission). A request not answered 2xx within the timeout is
 * an error.
 */
final class OpenLoad {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What one run measured; latencies in nanoseconds, sorted. */
    record Result(long[] latencies, int errors, double achievedPerSecond) {
        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }
    }

    private final HttpClient http;

    OpenLoad(HttpClient http) {
        this.http = http;
    }

    /** Sends {@code rate} POSTs a second for {@code duration}, then waits for the last answers. */
    Result run(URI target, String body, int rate, Duration duration) {
        int total = (int) (rate * duration.toMillis() / 1000);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] latencies = new long[total];
        Arrays.fill(latencies, Long.MAX_VALUE);
        List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure == null && response.statusCode() / 100 == 2) {
                    latencies[slot] = System.nanoTime() - scheduled;
                }
            }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((ok, failure) -> null).get(TIMEOUT.toSeconds() + 5,
                    TimeUnit.SECONDS);
        } catch (Exception e) {
            // Unanswered requests stay errors.
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] answered = Arrays.stream(latencies).filter(latency -> latency != Long.MAX_VALUE).sorted().toArray();
        return new Result(answered, total - answered.length, answered.length / seconds);
    }
}
