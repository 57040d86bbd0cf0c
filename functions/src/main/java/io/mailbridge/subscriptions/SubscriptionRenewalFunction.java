package io.mailbridge.subscriptions;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** On MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE: queues one subscription upkeep job per active connection (SubscriptionRenewalJobFunction runs them). */
public final class SubscriptionRenewalFunction {
    static final String NAME = "subscriptionRenewal";

    private final SubscriptionUpkeep upkeep;
    private final TimerRuns runs;

    public SubscriptionRenewalFunction(SubscriptionUpkeep upkeep, TimerRuns runs) {
        this.upkeep = upkeep;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE%") String timer) {
        runs.record(NAME, upkeep::fanOut);
    }
}
