package io.mailbridge.sandbox.exchange;

/** Graph's change types for message subscriptions. */
public enum ChangeType {
    CREATED, UPDATED, DELETED;

    public String graphName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
