package io.mailbridge.e2e.bench;

import io.mailbridge.e2e.support.Stack;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The local stack with its US stamp's storage requests counted ({@link StorageCounter}); closing stops the counting, then the stack. */
record CountedStack(Stack stack, StorageCounter counter) implements AutoCloseable {
    /** The sample settings overlaid by {@code overrides}, as {@link Stack#start(Map, java.util.function.UnaryOperator)}. */
    static CountedStack start(Map<String, String> overrides) {
        AtomicReference<StorageCounter> counted = new AtomicReference<>();
        Stack stack = Stack.start(overrides, connection -> {
            counted.set(new StorageCounter(connection));
            return counted.get().connectionString();
        });
        return new CountedStack(stack, counted.get());
    }

    @Override
    public void close() {
        try {
            counter.close();
        } finally {
            stack.close();
        }
    }
}
