package io.mailbridge.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells when Azurite itself stops answering: a request to its queue endpoint every 100 ms, straight to Azurite
 * (not through the counting relay), timed. Azurite serves blob, queue and table on one Node thread, and its queue
 * garbage collection (a mark-and-sweep every 60 s) deletes each unreferenced message extent with a LokiJS index
 * rebuild: after a load step's thousands of messages it holds that thread for seconds, and every server on it
 * waits alike. Azure Storage has no such pause, so a step it falls in measures the emulator, not the server.
 */
final class AzuriteProbe implements AutoCloseable {
    /** An answer slower than this counts as Azurite not answering. */
    static final Duration STALL = Duration.ofSeconds(1);
    private static final Pattern QUEUE_ENDPOINT = Pattern.compile("QueueEndpoint=(http://[^;]+)");

    private record Probe(long sent, long answered) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final List<Probe> slow = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile long inFlightSince;
    private volatile boolean closed;

    private AzuriteProbe(URI endpoint) {
        this.endpoint = endpoint;
        this.thread = Thread.ofPlatform().daemon().name("azurite-probe").start(this::probe);
    }

    /** Probes the queue endpoint {@code azuriteConnectionString} names. */
    static AzuriteProbe start(String azuriteConnectionString) {
        Matcher queue = QUEUE_ENDPOINT.matcher(azuriteConnectionString);
        if (!queue.find()) {
            throw new IllegalArgumentException("The connection string names no queue endpoint");
        }
        return new AzuriteProbe(URI.create(queue.group(1) + "?comp=list"));
    }

    private void probe() {
        // Unauthenticated, so Azurite answers 403: it still passes its thread, which is what is timed.
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2)).GET().build();
        while (!closed) {
            long sent = System.nanoTime();
            inFlightSince = sent;
            try {
                http.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // Counted by its time like any answer.
            } catch (InterruptedException e) {
                return;
            }
            long answered = System.nanoTime();
            inFlightSince = 0;
            if (answered - sent > STALL.toNanos()) {
                slow.add(new Probe(sent, answered));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The longest time between {@code from} and {@code to} (System.nanoTime) that one probe waited longer than {@link #STALL}; zero when none did. */
    Duration longestStall(long from, long to) {
        long longest = 0;
        for (Probe probe : slow) {
            longest = Math.max(longest, Math.min(probe.answered(), to) - Math.max(probe.sent(), from));
        }
        long waiting = inFlightSince;
        if (waiting != 0 && System.nanoTime() - waiting > STALL.toNanos()) {
            longest = Math.max(longest, Math.min(System.nanoTime(), to) - Math.max(waiting, from));
        }
        return Duration.ofNanos(Math.max(0, longest));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
