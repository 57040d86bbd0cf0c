package io.mailbridge.crm;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Delivers queued events to the CRM, one queue message each; failures are rescheduled, not thrown. */
public final class CrmEventDeliveryFunction {
    private final CrmEvents events;

    public CrmEventDeliveryFunction(CrmEvents events) {
        this.events = events;
    }

    @FunctionName("crmEventDelivery")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.CRM_EVENTS_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        events.deliver(message);
    }
}
