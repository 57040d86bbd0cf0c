package io.mailbridge.devhost.http;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's HTTP request queue ({@link HttpOptions}): at most maxConcurrentRequests requests are served at once, the
 * others wait for a turn in the order they came, and one that would make more than maxOutstandingRequests outstanding
 * (served plus waiting) is turned away at once, never served. Public so the benchmark kit's floor servers queue
 * their requests exactly as the host queues the product's.
 */
public final class HttpRequestQueue {
    /** Serving one request; it writes the response, which may fail. */
    public interface Serving {
        void run() throws IOException;
    }

    /** Integer.MAX_VALUE when unbounded, as are the turns. */
    private final int outstandingLimit;
    /** Fair, so waiting requests take their turns in arrival order. */
    private final Semaphore turns;
    private final AtomicInteger outstanding = new AtomicInteger();

    public HttpRequestQueue(HttpOptions options) {
        this.outstandingLimit = options.outstandingLimit().orElse(Integer.MAX_VALUE);
        this.turns = new Semaphore(options.concurrencyLimit().orElse(Integer.MAX_VALUE), true);
    }

    /**
     * Serves the request when its turn comes.
     *
     * @return false, having served nothing, when the request would be one more than maxOutstandingRequests
     * @throws InterruptedException while waiting for a turn, having served nothing
     */
    public boolean serve(Serving serving) throws IOException, InterruptedException {
        if (outstanding.getAndUpdate(n -> n < outstandingLimit ? n + 1 : n) >= outstandingLimit) {
            return false;
        }
        try {
            turns.acquire();
            try {
                serving.run();
            } finally {
                turns.release();
            }
            return true;
        } finally {
            outstanding.decrementAndGet();
        }
    }
}
