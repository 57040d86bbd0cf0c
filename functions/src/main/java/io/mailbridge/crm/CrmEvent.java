package io.mailbridge.crm;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something the CRM is told about. The id is stable for the same fact (the same mail, the same
 * state change), so the CRM can drop repeats.
 */
public record CrmEvent(String id, String type, String accountId, String userId, Instant occurredAt, Map<String, Object> data) {

    public CrmEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = Map.copyOf(data);
    }
}
