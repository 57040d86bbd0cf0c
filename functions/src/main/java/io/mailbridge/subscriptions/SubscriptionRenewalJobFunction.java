package io.mailbridge.subscriptions;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Reconciles, renews and recreates the subscriptions of the connection a renewal timer's message names. */
public final class SubscriptionRenewalJobFunction {
    private final SubscriptionUpkeep upkeep;

    public SubscriptionRenewalJobFunction(SubscriptionUpkeep upkeep) {
        this.upkeep = upkeep;
    }

    @FunctionName("subscriptionRenewalJob")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.SUBSCRIPTION_RENEWAL_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        upkeep.renew(message);
    }
}
