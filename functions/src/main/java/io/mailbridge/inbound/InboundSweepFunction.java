package io.mailbridge.inbound;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** On MAILBRIDGE_SYNC_SWEEP_SCHEDULE: a catch-up for every syncing mailbox, so a dropped notification never loses mail. */
public final class InboundSweepFunction {
    static final String NAME = "inboundSweep";

    private final InboundSync sync;
    private final TimerRuns runs;

    public InboundSweepFunction(InboundSync sync, TimerRuns runs) {
        this.sync = sync;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SYNC_SWEEP_SCHEDULE%") String timer) {
        runs.record(NAME, sync::sweep);
    }
}
