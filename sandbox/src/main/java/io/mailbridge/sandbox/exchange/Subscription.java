package io.mailbridge.sandbox.exchange;

import java.time.Instant;
import java.util.Set;

/**
 * A Graph change-notification subscription on a user's messages (all of them, or one folder's).
 * immutableIds records whether it was created with Prefer: IdType="ImmutableId", which decides the
 * ids its notifications carry.
 */
public record Subscription(String id, String userId, String tenantId, String clientId, String resource, WellKnownFolder folder,
                           Set<ChangeType> changeTypes, String notificationUrl, String lifecycleNotificationUrl, String clientState,
                           Instant expirationDateTime, boolean immutableIds, Instant createdAt) {

    public Subscription {
        changeTypes = Set.copyOf(changeTypes);
    }

    public boolean watches(MailboxChange change) {
        return change.userId().equals(userId) && (folder == null || folder == change.folder()) && changeTypes.contains(change.type());
    }

    public String changeTypeText() {
        return changeTypes.stream().sorted().map(ChangeType::graphName).reduce((a, b) -> a + "," + b).orElse("");
    }

    public Subscription renewedUntil(Instant expiration) {
        return new Subscription(id, userId, tenantId, clientId, resource, folder, changeTypes, notificationUrl, lifecycleNotificationUrl,
                clientState, expiration, immutableIds, createdAt);
    }
}
