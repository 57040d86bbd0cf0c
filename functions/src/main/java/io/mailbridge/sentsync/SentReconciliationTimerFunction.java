package io.mailbridge.sentsync;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** On MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE: queues one Sent-folder reconciliation job per mailbox that has Sent Items work. */
public final class SentReconciliationTimerFunction {
    static final String NAME = "sentReconciliationTimer";

    private final SentReconciliation reconciliation;
    private final TimerRuns runs;

    public SentReconciliationTimerFunction(SentReconciliation reconciliation, TimerRuns runs) {
        this.reconciliation = reconciliation;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE%") String timer) {
        runs.record(NAME, reconciliation::fanOut);
    }
}
