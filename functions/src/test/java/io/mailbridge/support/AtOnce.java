package io.mailbridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs tasks on a pool of workers released together, the way parallel instances meet the same work; fails on a task's failure. */
public final class AtOnce {
    private AtOnce() {}

    public static <T> void run(int workers, List<T> tasks, Consumer<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (T each : tasks) {
                running.add(pool.submit(() -> {
                    start.await();
                    task.accept(each);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : running) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
