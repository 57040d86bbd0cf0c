package io.mailbridge.devhost.timer;

import java.util.ArrayList;
import java.util.List;

/** The started timers; closing stops each schedule and waits for its invocation under way. */
public final class RunningTimerTriggers implements AutoCloseable {
    private final List<TimerTriggerListener> listeners = new ArrayList<>();

    void add(TimerTriggerListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.forEach(TimerTriggerListener::stopScheduling);
        listeners.forEach(TimerTriggerListener::close);
    }
}
