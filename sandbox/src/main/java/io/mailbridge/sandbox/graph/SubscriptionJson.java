package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.sandbox.http.Json;

/** The subscription resource as Graph answers create, get and renew. */
final class SubscriptionJson {
    private SubscriptionJson() {
    }

    static ObjectNode render(Subscription subscription, String graphBaseUrl) {
        return Json.object()
                .put("@odata.context", graphBaseUrl + "/$metadata#subscriptions/$entity")
                .put("id", subscription.id())
                .put("resource", subscription.resource())
                .put("applicationId", subscription.clientId())
                .put("changeType", subscription.changeTypeText())
                .put("clientState", subscription.clientState())
                .put("notificationUrl", subscription.notificationUrl())
                .putNull("notificationQueryOptions")
                .put("lifecycleNotificationUrl", subscription.lifecycleNotificationUrl())
                .put("expirationDateTime", subscription.expirationDateTime().toString())
                .put("creatorId", subscription.userId())
                .put("includeResourceData", false)
                .put("latestSupportedTlsVersion", "v1_2")
                .put("notificationContentType", "application/json")
                .putNull("encryptionCertificate")
                .putNull("encryptionCertificateId")
                .putNull("notificationUrlAppId");
    }
}
