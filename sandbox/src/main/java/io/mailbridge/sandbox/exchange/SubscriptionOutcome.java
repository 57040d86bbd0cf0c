package io.mailbridge.sandbox.exchange;

/** What creating or changing a subscription came to: the subscription, or Graph's refusal. */
public sealed interface SubscriptionOutcome {

    record Done(Subscription subscription) implements SubscriptionOutcome {
    }

    record Refused(int status, String code, String message) implements SubscriptionOutcome {
    }
}
