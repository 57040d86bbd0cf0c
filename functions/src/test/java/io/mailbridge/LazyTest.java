package io.mailbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void buildsOnFirstUseOnlyAndKeepsTheValue() {
        AtomicInteger builds = new AtomicInteger();
        Lazy<Object> lazy = Lazy.of(() -> {
            builds.incrementAndGet();
            return new Object();
        });

        assertEquals(0, builds.get());
        Object first = lazy.get();
        assertSame(first, lazy.get());
        assertEquals(1, builds.get());
    }

    @Test
    void threadsAskingAtOnceGetOneValue() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Lazy<Object> lazy = Lazy.of(() -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> values = new ArrayList<>();
            values.add(pool.submit(lazy::get));
            building.await();
            for (int i = 0; i < 7; i++) {
                values.add(pool.submit(lazy::get));
            }
            release.countDown();
            Object first = values.get(0).get();
            for (Future<Object> value : values) {
                assertSame(first, value.get());
            }
            assertEquals(1, builds.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedBuildKeepsNothingAndTheNextUseTriesAgain() {
        AtomicInteger attempts = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
            return "built";
        });

        assertEquals("not yet", assertThrows(IllegalStateException.class, lazy::get).getMessage());
        assertEquals("built", lazy.get());
        assertEquals(2, attempts.get());
    }

    @Test
    void aNullValueIsRefused() {
        assertThrows(NullPointerException.class, Lazy.<Object>of(() -> null)::get);
    }
}
