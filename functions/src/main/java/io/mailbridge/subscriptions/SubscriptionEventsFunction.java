package io.mailbridge.subscriptions;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Acts on Graph's lifecycle events that the lifecycle endpoint queued. */
public final class SubscriptionEventsFunction {
    private final SubscriptionUpkeep upkeep;

    public SubscriptionEventsFunction(SubscriptionUpkeep upkeep) {
        this.upkeep = upkeep;
    }

    @FunctionName("subscriptionEvents")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.SUBSCRIPTION_EVENTS_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        upkeep.handle(message);
    }
}
