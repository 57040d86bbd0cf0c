package io.mailbridge.outbound;

import java.time.Instant;
import java.util.Objects;

/**
 * One CRM send and everything the sender must know to finish it exactly once, whatever crashes on the way, in four
 * parts that change apart: the {@link Message} (fixed at the request), the current {@link Attempt}, what is known about
 * {@link Delivery}, and {@link Reporting} to the CRM and into Sent Items. The state is written before and after each
 * side effect; each transition below says which parts it changes.
 */
public record OutboxRecord(Message message, SendState state, Attempt attempt, Delivery delivery, Reporting reporting,
        Instant createdAt, Instant updatedAt) {

    /**
     * What the CRM asked to send.
     *
     * @param internetMessageId the Message-ID the mail carries whichever way it leaves, fixed at the request
     * @param payload the blob holding the {@link OutgoingMail}
     */
    public record Message(String accountId, String userId, String sendId, String idempotencyKey, String fingerprint, String payload,
            int recipients, String internetMessageId) {
        public Message {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sendId, "sendId");
        }
    }

    /**
     * The attempts so far and when the next may run: {@code failures} count toward giving up (throttling does not);
     * {@code leaseUntil} holds the send for a running attempt.
     */
    public record Attempt(Transport transport, int attempts, int failures, Instant nextAttemptAt, Instant leaseUntil, String reason) {
        static final Attempt NONE = new Attempt(null, 0, 0, null, null, null);

        Attempt taken(Transport through, Instant lease) {
            return new Attempt(through, attempts + 1, failures, null, lease, null);
        }

        Attempt dueAt(Instant next, String why, boolean failure) {
            return new Attempt(transport, attempts, failure ? failures + 1 : failures, next, null, why);
        }

        Attempt ended(Transport through, String why) {
            return new Attempt(through, attempts, failures, null, null, why);
        }
    }

    /**
     * What is known about the mail having left. The {@code maybeSentBy...} flags say that an attempt through that transport
     * ended without a certain answer, so the next attempt must first look for the mail (in Sent Items) or, for SMTP where
     * nobody can look, mark any resend as a possible duplicate.
     *
     * @param quotaCounted the mail's recipients are already counted against the mailbox's quota
     * @param possibleDuplicate it was sent again after an SMTP attempt that may have delivered it
     * @param mailboxMessageId the immutable id of the draft this send goes out as through the mailbox, written before it is
     *        sent: the one message every later attempt looks at, so the mailbox never gets a second one
     * @param submittedAt when that draft was ready to send; Exchange has until {@code submittedAt} plus a grace to send it
     */
    public record Delivery(boolean quotaCounted, boolean maybeSentByMailbox, boolean maybeSentBySmtp, boolean possibleDuplicate,
            String mailboxMessageId, Instant submittedAt, Instant sentAt) {
        static final Delivery NOTHING_YET = new Delivery(false, false, false, false, null, null, null);

        Delivery tryingThrough(Transport through, boolean countedNow) {
            return new Delivery(quotaCounted || countedNow, maybeSentByMailbox || through == Transport.MAILBOX,
                    maybeSentBySmtp || through == Transport.SMTP, possibleDuplicate || maybeSentBySmtp, mailboxMessageId, submittedAt, null);
        }

        /** A certain answer ({@code maybeSent} false) clears the suspicion on the transport that gave it. */
        Delivery answered(Transport through, boolean maybeSent) {
            return new Delivery(quotaCounted, maybeSentByMailbox && (maybeSent || through != Transport.MAILBOX),
                    maybeSentBySmtp && (maybeSent || through != Transport.SMTP), possibleDuplicate, mailboxMessageId, submittedAt, null);
        }

        Delivery drafted(String messageId, Instant now) {
            return new Delivery(quotaCounted, maybeSentByMailbox, maybeSentBySmtp, possibleDuplicate, messageId, now, sentAt);
        }

        /** The mailbox certainly did not send it, and its draft is gone. */
        Delivery notThroughMailbox() {
            return new Delivery(quotaCounted, false, maybeSentBySmtp, possibleDuplicate, null, null, null);
        }

        Delivery sentAt(Instant now) {
            return new Delivery(quotaCounted, maybeSentByMailbox, maybeSentBySmtp, possibleDuplicate, mailboxMessageId, submittedAt, now);
        }

        Delivery notSent() {
            return sentAt(null);
        }
    }

    /**
     * What the CRM and the mailbox's Sent Items still need: {@code eventDue} says the CRM has not been told the current
     * state yet.
     */
    public record Reporting(boolean eventDue, WriteBack writeBack) {
        public Reporting {
            Objects.requireNonNull(writeBack, "writeBack");
        }

        Reporting due() {
            return new Reporting(true, writeBack);
        }

        Reporting told() {
            return new Reporting(false, writeBack);
        }
    }

    public OutboxRecord {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(reporting, "reporting");
    }

    static OutboxRecord queued(String accountId, String userId, String sendId, String idempotencyKey, String fingerprint, String payload,
            int recipients, String internetMessageId, Instant now) {
        return new OutboxRecord(new Message(accountId, userId, sendId, idempotencyKey, fingerprint, payload, recipients, internetMessageId),
                SendState.QUEUED, Attempt.NONE, Delivery.NOTHING_YET, new Reporting(false, WriteBack.NONE), now, now);
    }

    public String accountId() {
        return message.accountId();
    }

    public String userId() {
        return message.userId();
    }

    public String sendId() {
        return message.sendId();
    }

    /** An attempt may run now: it is new, its next attempt is due, or the attempt that held it died. */
    boolean isDueAt(Instant now) {
        return switch (state) {
            case QUEUED -> true;
            case RETRYING, SUBMITTED -> !attempt.nextAttemptAt().isAfter(now);
            case SENDING -> !attempt.leaseUntil().isAfter(now);
            case SENT, FAILED -> false;
        };
    }

    /** When it is worth looking at again, for a record that is not due. */
    Instant notBefore() {
        return state == SendState.SENDING ? attempt.leaseUntil() : attempt.nextAttemptAt();
    }

    /** Taken by an attempt through {@code through} until {@code leaseUntil}; {@code countedNow}: its recipients were just counted. */
    OutboxRecord sending(Transport through, Instant lease, boolean countedNow, Instant now) {
        return new OutboxRecord(message, SendState.SENDING, attempt.taken(through, lease), delivery.tryingThrough(through, countedNow),
                reporting.told(), createdAt, now);
    }

    /**
     * The attempt ended without sending for sure; the next is due at {@code next}. {@code failure} counts
     * toward giving up (throttling does not); {@code maybeSent} keeps the attempt's transport under suspicion.
     */
    OutboxRecord retrying(Instant next, String why, boolean failure, boolean maybeSent, Instant now) {
        return new OutboxRecord(message, SendState.RETRYING, attempt.dueAt(next, why, failure),
                delivery.answered(attempt.transport(), maybeSent), reporting.due(), createdAt, now);
    }

    /** The draft it goes out as is in the mailbox, ready to send: every later attempt works on that message alone. */
    OutboxRecord drafted(String messageId, Instant now) {
        return new OutboxRecord(message, state, attempt, delivery.drafted(messageId, now), reporting, createdAt, now);
    }

    /** Not attempted: it waits for the mailbox's pace (or for another attempt's lease); nothing to tell the CRM. */
    OutboxRecord waiting(Instant until, String why, Instant now) {
        return waiting(SendState.RETRYING, until, why, now);
    }

    /** Exchange accepted its draft: the next look for the message, by its immutable id, is due {@code until}. */
    OutboxRecord submitted(Instant until, String why, Instant now) {
        return waiting(SendState.SUBMITTED, until, why, now);
    }

    private OutboxRecord waiting(SendState next, Instant until, String why, Instant now) {
        return new OutboxRecord(message, next, attempt.dueAt(until, why, false), delivery.notSent(), reporting.told(), createdAt, now);
    }

    /** The mailbox refused it for its spent quota: certainly not sent (its draft deleted), due again at once through the relay. */
    OutboxRecord refusedForQuota(String why, Instant now) {
        return new OutboxRecord(message, SendState.RETRYING, attempt.dueAt(now, why, false), delivery.notThroughMailbox(),
                reporting.told(), createdAt, now);
    }

    OutboxRecord sent(Transport through, String messageId, WriteBack copyToSentItems, Instant now) {
        Message as = new Message(message.accountId(), message.userId(), message.sendId(), message.idempotencyKey(), message.fingerprint(),
                message.payload(), message.recipients(), messageId);
        return new OutboxRecord(as, SendState.SENT, attempt.ended(through, null), delivery.sentAt(now),
                new Reporting(true, copyToSentItems), createdAt, now);
    }

    OutboxRecord failed(String why, Instant now) {
        return new OutboxRecord(message, SendState.FAILED, attempt.ended(attempt.transport(), why), delivery.notSent(), reporting.due(),
                createdAt, now);
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
        return new OutboxRecord(message, state, attempt, delivery, new Reporting(reporting.eventDue(), next), createdAt, now);
    }

    /** The CRM has been told the current state. */
    OutboxRecord reported() {
        return new OutboxRecord(message, state, attempt, delivery, reporting.told(), createdAt, updatedAt);
    }

    /**
     * The same for the same state of the same attempt (and, while retrying, the same next attempt), so a
     * report repeated after a crash is dropped by the CRM, and every new fact gets an id of its own.
     */
    String eventId() {
        return "send:" + sendId() + ":" + state + ":" + attempt.attempts()
                + (state == SendState.RETRYING ? ":" + attempt.nextAttemptAt().toEpochMilli() : "");
    }
}
