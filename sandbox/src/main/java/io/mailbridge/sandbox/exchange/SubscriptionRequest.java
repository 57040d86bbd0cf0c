package io.mailbridge.sandbox.exchange;

import java.time.Instant;

/** A create-subscription request as Graph receives it, on behalf of a user (userId) and an app (clientId). */
public record SubscriptionRequest(String userId, String tenantId, String clientId, String changeType, String notificationUrl,
                                  String lifecycleNotificationUrl, String resource, Instant expirationDateTime, String clientState,
                                  boolean includeResourceData, boolean immutableIds) {
}
