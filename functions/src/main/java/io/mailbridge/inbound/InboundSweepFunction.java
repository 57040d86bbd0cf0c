package io.mailbridge.inbound;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** On MAILBRIDGE_SYNC_SWEEP_SCHEDULE: a catch-up for every syncing mailbox, so a dropped notification never loses mail. */
public final class InboundSweepFunction {
    private final InboundSync sync;

    public InboundSweepFunction(InboundSync sync) {
        this.sync = sync;
    }

    @FunctionName("inboundSweep")
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SYNC_SWEEP_SCHEDULE%") String timer) {
        sync.sweep();
    }
}
