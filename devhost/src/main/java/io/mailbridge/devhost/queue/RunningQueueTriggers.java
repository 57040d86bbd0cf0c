package io.mailbridge.devhost.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** The started queue listeners; closing drains each, then stops the lease renewals they used. */
public final class RunningQueueTriggers implements AutoCloseable {
    private final ScheduledExecutorService renewals;
    private final List<QueueTriggerListener> listeners = new ArrayList<>();

    RunningQueueTriggers(ScheduledExecutorService renewals) {
        this.renewals = renewals;
    }

    void add(QueueTriggerListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        // Every listener stops fetching first, so none keeps taking work while another drains.
        listeners.forEach(QueueTriggerListener::stopFetching);
        listeners.forEach(QueueTriggerListener::close);
        renewals.shutdownNow();
    }
}
