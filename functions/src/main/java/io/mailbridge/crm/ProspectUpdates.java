package io.mailbridge.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.JsonBodies;
import java.util.ArrayList;
import java.util.List;

/**
 * The CRM's bulk change of an account's prospects: {@code {"upsert": [...], "delete": [...]}}.
 * Addresses compare case-insensitively; repeating a change changes nothing.
 */
public final class ProspectUpdates {
    /** Keeps one request well within the function's time limit; the CRM sends more in further requests. */
    static final int MAX_ADDRESSES = 5_000;

    public record Result(int upserted, int deleted) {}

    private final Prospects prospects;

    public ProspectUpdates(Prospects prospects) {
        this.prospects = prospects;
    }

    /** Validates the whole request before changing anything, so a bad address leaves nothing half-applied. */
    public Result apply(String accountId, JsonNode body) {
        List<String> upserts = normalized(body, "upsert");
        List<String> deletes = normalized(body, "delete");
        if (upserts.size() + deletes.size() > MAX_ADDRESSES) {
            throw new BadRequestException("body", "At most " + MAX_ADDRESSES + " addresses per request");
        }
        if (upserts.isEmpty() && deletes.isEmpty()) {
            throw new BadRequestException("body", "Give addresses to upsert or delete");
        }
        prospects.upsert(accountId, upserts);
        prospects.delete(accountId, deletes);
        return new Result(upserts.size(), deletes.size());
    }

    private static List<String> normalized(JsonNode body, String field) {
        List<String> raw = JsonBodies.stringArray(body, field);
        List<String> addresses = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            final int index = i;
            addresses.add(EmailAddresses.normalize(raw.get(i)).orElseThrow(() -> new BadRequestException(field + "[" + index + "]",
                    field + "[" + index + "] is not an email address")));
        }
        return addresses.stream().distinct().toList();
    }
}
