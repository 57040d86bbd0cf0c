package io.mailbridge.graph;

import java.time.Instant;

/**
 * A Graph change-notification subscription on one mail folder, as one connection uses it. Graph
 * allows one subscription per mailbox folder and app, so when two CRM accounts connect the same
 * mailbox, both connections share the subscription: one record each, same id. The client state is
 * the secret Graph echoes in each notification, which proves the notification is Graph's.
 */
public record MailSubscription(String id, String accountId, String userId, String mailbox, String folder, String clientState,
        Instant expiresAt) {

    public MailSubscription withExpiry(Instant newExpiry) {
        return new MailSubscription(id, accountId, userId, mailbox, folder, clientState, newExpiry);
    }

    @Override
    public String toString() {
        return "MailSubscription[" + id + ", " + accountId + "/" + userId + ", " + folder + ", expires " + expiresAt + "]";
    }
}
