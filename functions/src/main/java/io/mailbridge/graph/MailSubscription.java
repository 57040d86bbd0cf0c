package io.mailbridge.graph;

import java.time.Instant;

/**
 * A Graph change-notification subscription on one mail folder of a connection. The client state is
 * the secret Graph echoes in each notification, which proves the notification is Graph's.
 */
public record MailSubscription(String id, String accountId, String userId, String folder, String clientState, Instant expiresAt) {
    @Override
    public String toString() {
        return "MailSubscription[" + id + ", " + accountId + "/" + userId + ", " + folder + ", expires " + expiresAt + "]";
    }
}
