package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.sandbox.http.Json;

/**
 * The subscription resource as Graph answers create, get, list and renew. The client state is a
 * secret: Graph returns it only in the answer to the create that set it ("not returned for security
 * purposes" in list and get), null elsewhere.
 */
final class SubscriptionJson {
    private SubscriptionJson() {
    }

    static ObjectNode render(Subscription subscription, String graphBaseUrl, boolean withClientState) {
        return Json.object()
                .put("@odata.context", graphBaseUrl + "/$metadata#subscriptions/$entity")
                .put("id", subscription.id())
                .put("resource", subscription.resource())
                .put("applicationId", subscription.clientId())
                .put("changeType", subscription.changeTypeText())
                .put("clientState", withClientState ? subscription.clientState() : null)
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
