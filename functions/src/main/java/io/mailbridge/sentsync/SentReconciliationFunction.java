package io.mailbridge.sentsync;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Reconciles the Sent Items of the connection a queue message names. */
public final class SentReconciliationFunction {
    private final SentReconciliation reconciliation;

    public SentReconciliationFunction(SentReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @FunctionName("sentReconciliation")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.SENT_RECONCILIATION_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        reconciliation.reconcile(message);
    }
}
