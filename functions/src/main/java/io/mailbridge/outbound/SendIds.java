package io.mailbridge.outbound;

import io.mailbridge.Sha256;
import io.mailbridge.http.Json;
import java.util.Base64;
import java.util.List;

/**
 * Names derived from content, so that repeating a request finds what the first one made: the send id
 * (from the connection and the CRM's idempotency key; safe in URLs, table keys and Message-IDs) and
 * the fingerprint that tells a true repeat from a different mail under a reused key.
 */
final class SendIds {
    /** 22 base64url characters: 132 bits of SHA-256. */
    private static final int SEND_ID_LENGTH = 22;

    private SendIds() {}

    static String sendId(String accountId, String userId, String idempotencyKey) {
        // A JSON array keeps the three apart whatever characters they hold.
        byte[] digest = Sha256.of(Json.write(List.of(accountId, userId, idempotencyKey)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, SEND_ID_LENGTH);
    }

    static String fingerprint(OutgoingMail mail) {
        return Sha256.hex(Json.write(mail));
    }
}
