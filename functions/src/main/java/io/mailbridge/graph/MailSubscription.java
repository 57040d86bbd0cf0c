package io.mailbridge.graph;

import io.mailbridge.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A Graph change-notification subscription on one mail folder, as one connection uses it. Graph
 * allows several subscriptions on the same folder, so each connection has its own, even when two CRM
 * accounts connect the same mailbox (earlier, such connections shared one: one record each, same
 * id, and such records may remain until their connection resubscribes). The client state is
 * the secret Graph echoes in each notification, which proves the notification is Graph's; only its
 * SHA-256 is kept, so a reader of the table cannot forge notifications.
 */
public record MailSubscription(String id, String accountId, String userId, String mailbox, String folder, String clientStateHash,
        Instant expiresAt) {

    /** What is stored for a client state: its SHA-256, hex. */
    public static String hashOf(String clientState) {
        return Sha256.hex(clientState);
    }

    /** Whether a notification's client state is the one this subscription was created with; constant time. */
    public boolean provenBy(String presentedClientState) {
        return clientStateHash != null && presentedClientState != null && MessageDigest.isEqual(
                clientStateHash.getBytes(StandardCharsets.US_ASCII), hashOf(presentedClientState).getBytes(StandardCharsets.US_ASCII));
    }

    public MailSubscription withExpiry(Instant newExpiry) {
        return new MailSubscription(id, accountId, userId, mailbox, folder, clientStateHash, newExpiry);
    }

    @Override
    public String toString() {
        return "MailSubscription[" + id + ", " + accountId + "/" + userId + ", " + folder + ", expires " + expiresAt + "]";
    }
}
