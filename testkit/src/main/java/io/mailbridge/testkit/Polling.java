package io.mailbridge.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility as the tests poll: named, so a timeout says what did not happen, and bounded by the test's patience. */
public final class Polling {
    private Polling() {}

    /**
     * Other threads' uncaught exceptions are left to the stack that runs them (the host logs and survives a failed
     * execution): a test fails on what it asserts, not on Awaitility's default of failing on any thread's exception.
     */
    public static ConditionFactory await(String what, Duration patience) {
        return Awaitility.await(what).atMost(patience).dontCatchUncaughtExceptions();
    }
}
