package io.mailbridge.inbound;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** On MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE: reconciles subscriptions with Graph's list, renews them before they expire and recreates lost ones. */
public final class SubscriptionRenewalFunction {
    private final SubscriptionUpkeep upkeep;

    public SubscriptionRenewalFunction(SubscriptionUpkeep upkeep) {
        this.upkeep = upkeep;
    }

    @FunctionName("subscriptionRenewal")
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE%") String timer) {
        upkeep.renewAll();
    }
}
