package io.mailbridge.outbound;

import java.time.Instant;
import java.util.Objects;

/**
 * One CRM send and everything the sender must know to finish it exactly once, whatever crashes on
 * the way. The state is written before and after each side effect; the {@code maybeSentBy...} flags
 * say that an attempt through that transport ended without a certain answer, so the next attempt
 * must first look for the mail (in Sent Items) or, for SMTP where nobody can look, mark any resend
 * as a possible duplicate. {@code eventDue} says the CRM has not been told the current state yet.
 *
 * @param internetMessageId the Message-ID the mail carries whichever way it leaves, fixed at the request
 * @param payload the blob holding the {@link OutgoingMail}
 * @param quotaCounted the mail's recipients are already counted against the mailbox's quota
 * @param possibleDuplicate it was sent again after an SMTP attempt that may have delivered it
 * @param mailboxMessageId the immutable id of the draft this send goes out as through the mailbox, written before it is
 *        sent: the one message every later attempt looks at, so the mailbox never gets a second one
 * @param submittedAt when that draft was ready to send; Exchange has until {@code submittedAt} plus a grace to send it
 */
public record OutboxRecord(
        String accountId,
        String userId,
        String sendId,
        String idempotencyKey,
        String fingerprint,
        String payload,
        int recipients,
        String internetMessageId,
        SendState state,
        Transport transport,
        int attempts,
        int failures,
        Instant nextAttemptAt,
        Instant leaseUntil,
        String reason,
        boolean quotaCounted,
        boolean maybeSentByMailbox,
        boolean maybeSentBySmtp,
        boolean possibleDuplicate,
        boolean eventDue,
        WriteBack writeBack,
        Instant createdAt,
        Instant updatedAt,
        Instant sentAt,
        String mailboxMessageId,
        Instant submittedAt) {

    public OutboxRecord {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sendId, "sendId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(writeBack, "writeBack");
    }

    static OutboxRecord queued(String accountId, String userId, String sendId, String idempotencyKey, String fingerprint, String payload,
            int recipients, String internetMessageId, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                SendState.QUEUED, null, 0, 0, null, null, null, false, false, false, false, false, WriteBack.NONE, now, now, null, null, null);
    }

    /** An attempt may run now: it is new, its next attempt is due, or the attempt that held it died. */
    boolean isDueAt(Instant now) {
        return switch (state) {
            case QUEUED -> true;
            case RETRYING, SUBMITTED -> !nextAttemptAt.isAfter(now);
            case SENDING -> !leaseUntil.isAfter(now);
            case SENT, FAILED -> false;
        };
    }

    /** When it is worth looking at again, for a record that is not due. */
    Instant notBefore() {
        return state == SendState.SENDING ? leaseUntil : nextAttemptAt;
    }

    /** Taken by an attempt through {@code through} until {@code leaseUntil}; {@code countedNow}: its recipients were just counted. */
    OutboxRecord sending(Transport through, Instant lease, boolean countedNow, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                SendState.SENDING, through, attempts + 1, failures, null, lease, null, quotaCounted || countedNow,
                maybeSentByMailbox || through == Transport.MAILBOX, maybeSentBySmtp || through == Transport.SMTP,
                possibleDuplicate || maybeSentBySmtp, false, writeBack, createdAt, now, null, mailboxMessageId, submittedAt);
    }

    /**
     * The attempt ended without sending for sure; the next is due at {@code next}. {@code failure} counts
     * toward giving up (throttling does not); {@code maybeSent} keeps the attempt's transport under suspicion.
     */
    OutboxRecord retrying(Instant next, String why, boolean failure, boolean maybeSent, Instant now) {
        boolean clearMailbox = transport == Transport.MAILBOX && !maybeSent;
        boolean clearSmtp = transport == Transport.SMTP && !maybeSent;
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                SendState.RETRYING, transport, attempts, failure ? failures + 1 : failures, next, null, why, quotaCounted,
                maybeSentByMailbox && !clearMailbox, maybeSentBySmtp && !clearSmtp, possibleDuplicate, true, writeBack, createdAt, now,
                null, mailboxMessageId, submittedAt);
    }

    /** The draft it goes out as is in the mailbox, ready to send: every later attempt works on that message alone. */
    OutboxRecord drafted(String messageId, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                state, transport, attempts, failures, nextAttemptAt, leaseUntil, reason, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, eventDue, writeBack, createdAt, now, sentAt, messageId, now);
    }

    /** Not attempted: it waits for the mailbox's pace (or for another attempt's lease); nothing to tell the CRM. */
    OutboxRecord waiting(Instant until, String why, Instant now) {
        return waiting(SendState.RETRYING, until, why, now);
    }

    /** Exchange accepted its draft: the next look for the message, by its immutable id, is due {@code until}. */
    OutboxRecord submitted(Instant until, String why, Instant now) {
        return waiting(SendState.SUBMITTED, until, why, now);
    }

    private OutboxRecord waiting(SendState state, Instant until, String why, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                state, transport, attempts, failures, until, null, why, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, false, writeBack, createdAt, now, null, mailboxMessageId, submittedAt);
    }

    /** The mailbox refused it for its spent quota: certainly not sent (its draft deleted), due again at once through the relay. */
    OutboxRecord refusedForQuota(String why, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                SendState.RETRYING, transport, attempts, failures, now, null, why, quotaCounted, false, maybeSentBySmtp,
                possibleDuplicate, false, writeBack, createdAt, now, null, null, null);
    }

    OutboxRecord sent(Transport through, String messageId, WriteBack copyToSentItems, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, messageId,
                SendState.SENT, through, attempts, failures, null, null, null, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, true, copyToSentItems, createdAt, now, now, mailboxMessageId, submittedAt);
    }

    OutboxRecord failed(String why, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                SendState.FAILED, transport, attempts, failures, null, null, why, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, true, writeBack, createdAt, now, null, mailboxMessageId, submittedAt);
    }

    /** A write-back of the sent mail into Sent Items begins: until it ends, a copy may exist. */
    OutboxRecord writingBack(Instant now) {
        return withWriteBack(WriteBack.WRITING, now);
    }

    /** The write-back ended: the copy is in Sent Items ({@link WriteBack#DONE}), cannot be written ({@link WriteBack#FAILED}) or never will be ({@link WriteBack#ABANDONED}). */
    OutboxRecord writtenBack(WriteBack outcome, Instant now) {
        return withWriteBack(outcome, now);
    }

    private OutboxRecord withWriteBack(WriteBack next, Instant now) {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                state, transport, attempts, failures, nextAttemptAt, leaseUntil, reason, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, eventDue, next, createdAt, now, sentAt, mailboxMessageId, submittedAt);
    }

    /** The CRM has been told the current state. */
    OutboxRecord reported() {
        return new OutboxRecord(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId,
                state, transport, attempts, failures, nextAttemptAt, leaseUntil, reason, quotaCounted, maybeSentByMailbox, maybeSentBySmtp,
                possibleDuplicate, false, writeBack, createdAt, updatedAt, sentAt, mailboxMessageId, submittedAt);
    }

    /**
     * The same for the same state of the same attempt (and, while retrying, the same next attempt), so a
     * report repeated after a crash is dropped by the CRM, and every new fact gets an id of its own.
     */
    String eventId() {
        return "send:" + sendId + ":" + state + ":" + attempts + (state == SendState.RETRYING ? ":" + nextAttemptAt.toEpochMilli() : "");
    }
}
