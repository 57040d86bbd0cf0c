package io.mailbridge.sandbox.exchange;

/** Graph's lifecycle notifications for Outlook resources. */
public enum LifecycleEvent {
    REAUTHORIZATION_REQUIRED("reauthorizationRequired"),
    SUBSCRIPTION_REMOVED("subscriptionRemoved"),
    MISSED("missed");

    private final String graphName;

    LifecycleEvent(String graphName) {
        this.graphName = graphName;
    }

    public String graphName() {
        return graphName;
    }
}
