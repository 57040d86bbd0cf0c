package io.mailbridge.sentsync;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** On MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE: queues one Sent-folder reconciliation job per mailbox that has Sent Items work. */
public final class SentReconciliationTimerFunction {
    private final SentReconciliation reconciliation;

    public SentReconciliationTimerFunction(SentReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @FunctionName("sentReconciliationTimer")
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE%") String timer) {
        reconciliation.fanOut();
    }
}
