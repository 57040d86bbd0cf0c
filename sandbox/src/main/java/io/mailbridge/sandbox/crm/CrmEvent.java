package io.mailbridge.sandbox.crm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event the CRM accepted: the fields every event carries, the whole parsed body ({@code json}),
 * the raw body exactly as signed, the request's headers and when it arrived (by the stand-in's clock).
 * A repeat of the same id is not stored again; see {@link CrmStandIn#timesReceived(String)}.
 */
public record CrmEvent(String id, String type, String accountId, String userId, Instant occurredAt,
                       JsonNode json, String body, ReceivedHeaders headers, Instant receivedAt) {

    public CrmEvent {
        json = json.deepCopy();
    }

    /** The event's {@code data} object. */
    public JsonNode data() {
        return json.get("data");
    }

    public boolean isFor(String accountId, String userId) {
        return this.accountId.equals(accountId) && this.userId.equals(userId);
    }
}
