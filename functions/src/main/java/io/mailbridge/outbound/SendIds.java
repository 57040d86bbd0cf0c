package io.mailbridge.outbound;

import io.mailbridge.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
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
        byte[] digest = sha256(Json.write(List.of(accountId, userId, idempotencyKey)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, SEND_ID_LENGTH);
    }

    static String fingerprint(OutgoingMail mail) {
        return HexFormat.of().formatHex(sha256(Json.write(mail)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
