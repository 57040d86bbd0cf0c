package io.mailbridge.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/** Table and queue names no other test in this run uses, so tests can share one Azurite. */
public final class UniqueNames {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000L, 36);

    private UniqueNames() {}

    /** Letters and digits only, starting with a letter: valid for both tables and queues. */
    public static String next(String prefix) {
        return (prefix + RUN + SEQUENCE.incrementAndGet()).toLowerCase();
    }
}
