package io.mailbridge;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value built on its first use and kept: however many threads ask at once, it is built once. A build
 * that throws keeps nothing, so the next use tries again (and fails as clearly, if the cause stays).
 * The composition root holds the SDK clients this way, so a cold start does not load what a first
 * request may never need.
 */
public final class Lazy<T> implements Supplier<T> {
    // A lock rather than synchronized: a build may read files, and must not pin a virtual thread on Java 21.
    private final ReentrantLock lock = new ReentrantLock();
    private Supplier<? extends T> build;
    private volatile T value;

    private Lazy(Supplier<? extends T> build) {
        this.build = build;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> build) {
        return new Lazy<>(Objects.requireNonNull(build));
    }

    @Override
    public T get() {
        T built = value;
        if (built != null) {
            return built;
        }
        lock.lock();
        try {
            if (value == null) {
                value = Objects.requireNonNull(build.get(), "a lazy value was built as null");
                // What built it (and all it captured) is not needed any more.
                build = null;
            }
            return value;
        } finally {
            lock.unlock();
        }
    }
}
