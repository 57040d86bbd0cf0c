package io.mailbridge.e2e.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    /**
     * What one run measured; latencies in nanoseconds, sorted. {@code stalls}: when (seconds into the run, by schedule) the
     * requests slower than a second were sent, so a stall can be told from a slow step.
     */
    record Result(long[] latencies, int errors, double achievedPerSecond, List<Double> stalls) {
        /** "n slower than 1 s, sent at 0.1–0.3 s", or empty when none was. */
        String stallSummary() {
            if (stalls.isEmpty()) {
                return "";
            }
            return String.format(Locale.ROOT, "%d slower than 1 s (errors included), sent %.1f–%.1f s into the step", stalls.size(),
                    stalls.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    stalls.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }

        /**
         * The p-th percentile over every request sent, an unanswered one counting as slower than any answer:
         * infinite when the percentile falls among them, NaN when nothing was sent.
         */
        double percentileMillis(double p) {
            int sent = latencies.length + errors;
            if (sent == 0) {
                return Double.NaN;
            }
            int index = Math.max(0, (int) Math.ceil(p / 100.0 * sent) - 1);
            return index < latencies.length ? latencies[index] / 1e6 : Double.POSITIVE_INFINITY;
        }

        /** A percentile for a table: milliseconds, or "no answer" when it falls among the unanswered requests. */
        String percentile(double p) {
            double millis = percentileMillis(p);
            return Double.isInfinite(millis) ? "no answer" : String.format(Locale.ROOT, "%.1f ms", millis);
        }

        /** This run's percentile over another's, or "–" when either falls among unanswered requests. */
        String ratio(double p, Result other) {
            double ratio = percentileMillis(p) / other.percentileMillis(p);
            return Double.isFinite(ratio) && Double.isFinite(other.percentileMillis(p)) ? String.format(Locale.ROOT, "%.2f", ratio) : "–";
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
        List<Double> stalls = java.util.stream.IntStream.range(0, total).filter(i -> latencies[i] > TimeUnit.SECONDS.toNanos(1))
                .mapToObj(i -> i * interval / 1e9).toList();
        return new Result(answered, total - answered.length, answered.length / seconds, stalls);
    }
}
