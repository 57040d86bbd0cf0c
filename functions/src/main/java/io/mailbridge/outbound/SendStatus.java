package io.mailbridge.outbound;

import java.time.Instant;

/**
 * A send as the CRM sees it through the status API: its state, and for SENT the transport and the
 * Message-ID, for RETRYING and SUBMITTED the next attempt (or look) and why, for FAILED the reason; {@code submittedAt}
 * once the mail was handed to the mailbox to send (Exchange sends it later: until it has, the send is SUBMITTED).
 */
public record SendStatus(
        String sendId,
        String idempotencyKey,
        SendState state,
        Transport transport,
        String internetMessageId,
        int attempts,
        Instant nextAttemptAt,
        String reason,
        boolean possibleDuplicate,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt,
        Instant submittedAt) {

    static SendStatus of(OutboxRecord r) {
        return new SendStatus(r.sendId(), r.message().idempotencyKey(), r.state(), r.attempt().transport(), r.message().internetMessageId(), r.attempt().attempts(),
                r.attempt().nextAttemptAt(), r.attempt().reason(), r.delivery().possibleDuplicate(), r.createdAt(), r.updatedAt(), r.delivery().sentAt(), r.delivery().submittedAt());
    }
}
