package io.mailbridge.outbound;

import io.mailbridge.config.Settings;
import io.mailbridge.crm.CrmEvent;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The sender behind the outbound-mail queue: takes one send at a time through its states, choosing
 * the transport per attempt. RESTRICTED mailboxes always use the custom SMTP relay; FULL ones use
 * the mailbox, paced and counted against its rolling 24-hour quota, and the relay while that quota is
 * spent (counted, or reported by Exchange) until the window frees. The quota is the Microsoft mailbox's
 * ({@link MailboxQuotas}), shared by every connection of it in any CRM account, as Exchange counts it.
 *
 * <p>Exactly once, across crashes: an attempt first reserves its recipients in the mailbox's quota, then
 * takes the send (SENDING, with a lease, written conditionally on the version it read; the reservation
 * is given back when another attempt took it first), then sends, then records
 * the outcome; the CRM is told each outcome under an event id that is the same if it is told twice.
 * An attempt that finds a send SENDING past its lease knows the previous attempt died somewhere in
 * between. For the mailbox that is recoverable by identity: the mail goes out as a draft created first
 * (with Graph's immutable ids) whose id is written to the send before the draft is sent. Exchange's 202
 * only accepts it: the message waits in Outbox and leaves later (seconds, sometimes minutes), keeping
 * its immutable id in Sent Items. So after the 202 the send is SUBMITTED, and every
 * later attempt looks at that one message: sent, SENT; in Outbox or not visible yet, wait, and FAILED
 * when Exchange has not sent it in a day; still a draft, send that same draft; deleted, FAILED. A
 * draft made by an attempt that died before writing its id is found by the send id it carries as an
 * extended property and deleted, so the mailbox never holds two sendable copies of one send.
 *
 * <p>The one window that cannot be closed is the relay's: between the relay's 250 to the message and
 * the SENT write reaching the outbox (or when the connection drops after the message, before the
 * reply), nobody can ask the relay whether it took the mail, and a resend may deliver it twice. It is
 * kept to that one round trip: SENDING is written just before the SMTP dialogue and SENT right after
 * the 250, with nothing else in between; a resend carries the same Message-ID and X-Mailbridge-Send-Id
 * as the first, so recipients' mail systems and the CRM can recognise it; and the record and the
 * CRM's event say {@code possibleDuplicate}.
 *
 * <p>Throttling (Graph 429 and 5xx, the mailbox's pace, an attempt still holding its lease) never
 * throws into the poison queue: the send is queued again with a visibility delay of Retry-After.
 */
public final class OutboundSender {
    private static final Logger LOG = Logger.getLogger(OutboundSender.class.getName());
    /** Longer than any attempt can run (host.json functionTimeout is 10 minutes): a lease past it belongs to a dead attempt. */
    static final Duration LEASE = Duration.ofMinutes(11);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration LONGEST_BACKOFF = Duration.ofMinutes(30);
    /** Failures (not throttling) before a send is given up: about four hours of a relay or Graph that keeps failing. */
    static final int MAX_FAILURES = 12;
    /** Storage Queue's longest visibility delay. */
    static final Duration LONGEST_DELAY = Duration.ofDays(7);
    /** How long Exchange may keep an accepted mail in Outbox (or out of sight) before the send is given up as not sent. */
    static final Duration SUBMISSION_GRACE = Duration.ofHours(24);
    /** The first look after Exchange accepted a mail; later looks wait as long as the mail has waited, up to {@link #LONGEST_LOOK}. */
    static final Duration FIRST_LOOK = Duration.ofSeconds(10);
    static final Duration LONGEST_LOOK = Duration.ofMinutes(15);
    /** Rounds of one queue message: conflicting writers, a report, and a switch from the mailbox to the relay. */
    private static final int MAX_ROUNDS = 8;

    private final Outbox outbox;
    private final MailboxQuotas quotas;
    private final MailboxConnections connections;
    private final Payloads payloads;
    private final GraphSender mailbox;
    private final SmtpSender relay;
    private final CrmEvents events;
    private final QueueProducer queue;
    private final Settings.SendingLimits limits;
    private final Clock clock;

    public OutboundSender(Outbox outbox, MailboxQuotas quotas, MailboxConnections connections, Payloads payloads, GraphSender mailbox,
            SmtpSender relay, CrmEvents events, QueueProducer queue, Settings.SendingLimits limits, Clock clock) {
        this.outbox = outbox;
        this.quotas = quotas;
        this.connections = connections;
        this.payloads = payloads;
        this.mailbox = mailbox;
        this.relay = relay;
        this.events = events;
        this.queue = queue;
        this.limits = limits;
        this.clock = clock;
    }

    /** What one round did: the job is done (for this message), or the outbox changed and the send must be read again. */
    private enum Round { DONE, AGAIN }

    /** Works on the send a queue message names until it is finished or waits for a later message. */
    public void process(String queueMessage) {
        SendJob job = SendJob.parse(queueMessage);
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            if (round(job) == Round.DONE) {
                return;
            }
        }
        LOG.info(() -> "Send " + job.sendId() + " is contended; looking again shortly");
        enqueue(job, FIRST_BACKOFF);
    }

    private Round round(SendJob job) {
        Optional<Stored<OutboxRecord>> found = outbox.find(job.accountId(), job.sendId());
        if (found.isEmpty() || !found.get().value().userId().equals(job.userId())) {
            LOG.warning(() -> "No send " + job.sendId() + " of " + job.accountId() + "/" + job.userId() + " in the outbox; message dropped");
            return Round.DONE;
        }
        OutboxRecord record = found.get().value();
        if (record.reporting().eventDue()) {
            report(record);
            return Round.AGAIN;
        }
        Instant now = clock.instant();
        if (record.state().isFinal()) {
            return Round.DONE;
        }
        if (!record.isDueAt(now)) {
            enqueue(job, Duration.between(now, record.notBefore()));
            return Round.DONE;
        }
        return attempt(found.get(), now);
    }

    private Round attempt(Stored<OutboxRecord> stored, Instant now) {
        OutboxRecord record = stored.value();
        Optional<MailboxConnection> connection = connections.find(record.accountId(), record.userId()).map(Stored::value);
        if (connection.isEmpty() || connection.get().state() != ConnectionState.ACTIVE) {
            return finish(failed(record, "The mailbox is " + connection.map(c -> "no longer connected (" + c.state() + ")")
                    .orElse("not connected")));
        }
        GraphSender.Session session = null;
        try {
            // A mailbox that was FULL when an attempt may have sent through it is looked in even if it is RESTRICTED now.
            if (connection.get().profile() == Profile.FULL || record.delivery().maybeSentByMailbox() || record.delivery().mailboxMessageId() != null) {
                session = mailbox.open(connection.get());
            }
            if (record.delivery().mailboxMessageId() != null) {
                return resume(stored, connection.get(), session, now);
            }
            if (record.delivery().maybeSentByMailbox()) {
                Optional<GraphSender.MailboxCopy> copy = session.findCopy(record.sendId());
                if (copy.isPresent() && !copy.get().draft()) {
                    LOG.info(() -> "Send " + record.sendId() + " was found in the mailbox: an earlier attempt sent it");
                    String messageId = copy.get().internetMessageId() != null ? copy.get().internetMessageId() : record.message().internetMessageId();
                    return finish(outbox.update(record.accountId(), record.sendId(),
                            r -> r.sent(Transport.MAILBOX, messageId, WriteBack.NONE, clock.instant())));
                }
                // Drafts of attempts that died before the outbox knew them: never sent, and never to be.
                session.discardOrphanDrafts(record.sendId());
            }
        } catch (MicrosoftException e) {
            return afterMicrosoftFailure(stored, e.failure(), now);
        }
        Optional<OutgoingMail> mail = payloads.get(record.message().payload()).map(MailJson::mail);
        if (mail.isEmpty()) {
            return finish(failed(record, "The mail's content is gone from storage"));
        }
        if (!connection.get().mailboxAddress().equals(mail.get().from()) && !connection.get().aliases().contains(mail.get().from())) {
            return finish(failed(record, mail.get().from() + " is no longer an address of the mailbox"));
        }
        return route(stored, connection.get(), mail.get(), session, now);
    }

    /** Chooses the transport, reserves the mailbox's quota for it, takes the send, and sends. */
    private Round route(Stored<OutboxRecord> stored, MailboxConnection connection, OutgoingMail mail, GraphSender.Session session,
            Instant now) {
        OutboxRecord record = stored.value();
        Optional<OutboxRecord> taken = connection.profile() == Profile.FULL
                ? quotas.reserveAndClaim(session.mailboxId(), record.message().recipients(), record.delivery().quotaCounted(), now,
                        (route, countedNow) -> take(stored, route, countedNow, now))
                : take(stored, new SendingQuota.Route.ThroughRelay(null), false, now);
        if (taken.isEmpty()) {
            return Round.AGAIN;
        }
        OutboxRecord claimed = taken.get();
        if (claimed.state() == SendState.RETRYING) {
            enqueue(SendJob.of(claimed), Duration.between(now, claimed.attempt().nextAttemptAt()));
            return Round.DONE;
        }
        if (claimed.attempt().transport() == Transport.MAILBOX) {
            return sendThroughMailbox(claimed, connection, session, mail);
        }
        return settle(claimed, connection, session, relay.send(claimed, mail));
    }

    /** Creates the draft, writes its id to the send, and only then has Exchange send it. */
    private Round sendThroughMailbox(OutboxRecord claimed, MailboxConnection connection, GraphSender.Session session, OutgoingMail mail) {
        return switch (session.createDraft(claimed, mail)) {
            case GraphSender.Drafting.NotMade(SendResult result) -> settle(claimed, connection, session, result);
            case GraphSender.Drafting.Made(String draftId) -> {
                // Should this write fail, the draft is an orphan the next attempt finds by its mark and deletes.
                OutboxRecord drafted = outbox.update(claimed.accountId(), claimed.sendId(), r -> r.drafted(draftId, clock.instant()));
                yield submit(drafted, connection, session);
            }
        };
    }

    /** Sends the send's draft; Exchange's 202 is acceptance only, so the send then waits to see the message leave Outbox. */
    private Round submit(OutboxRecord drafted, MailboxConnection connection, GraphSender.Session session) {
        SendResult result = session.sendDraft(drafted.delivery().mailboxMessageId());
        return switch (result) {
            case SendResult.Sent sent -> awaitExchange(drafted, "Accepted by the mailbox; Exchange has not sent it yet", clock.instant());
            case SendResult.QuotaExhausted exhausted -> discardThenSettle(drafted, connection, session, result);
            case SendResult.Rejected rejected -> discardThenSettle(drafted, connection, session, result);
            case SendResult.Retryable retryable -> settle(drafted, connection, session, result);
        };
    }

    /** Certainly not sent: the draft goes, and so does the send's tie to it (the relay may take over). */
    private Round discardThenSettle(OutboxRecord drafted, MailboxConnection connection, GraphSender.Session session, SendResult result) {
        session.discardQuietly(drafted.delivery().mailboxMessageId());
        return settle(drafted, connection, session, result);
    }

    /**
     * A later attempt on a send whose draft was made: looks at that one message, by its immutable id, and never makes another.
     */
    private Round resume(Stored<OutboxRecord> stored, MailboxConnection connection, GraphSender.Session session, Instant now) {
        OutboxRecord record = stored.value();
        GraphSender.Whereabouts where = session.locate(record.delivery().mailboxMessageId());
        Duration waited = Duration.between(record.delivery().submittedAt(), now);
        return switch (where) {
            case SENT -> finish(outbox.update(record.accountId(), record.sendId(),
                    r -> r.sent(Transport.MAILBOX, r.message().internetMessageId(), WriteBack.NONE, clock.instant())));
            case DELETED_DRAFT -> finish(failed(record, "The draft of the mail was deleted from the mailbox before it was sent"));
            case IN_OUTBOX, MISSING -> waited.compareTo(SUBMISSION_GRACE) >= 0
                    ? finish(failed(record, where == GraphSender.Whereabouts.IN_OUTBOX
                            ? "Exchange accepted the mail at " + record.delivery().submittedAt() + " but has not sent it in 24 hours: it is still in the mailbox's Outbox"
                            : "Exchange accepted the mail at " + record.delivery().submittedAt() + " but it has not appeared in the mailbox since: it was not sent"))
                    : waitForExchange(stored, where == GraphSender.Whereabouts.IN_OUTBOX
                            ? "Accepted by the mailbox; still in its Outbox" : "Accepted by the mailbox; not yet visible in it", now);
            case DRAFT -> resendDraft(stored, connection, session, now);
        };
    }

    /** The draft was never sent (the attempt died or failed before Exchange took it): the same draft is sent now. */
    private Round resendDraft(Stored<OutboxRecord> stored, MailboxConnection connection, GraphSender.Session session, Instant now) {
        OutboxRecord claimed = stored.value().sending(Transport.MAILBOX, now.plus(LEASE), false, now);
        if (!outbox.replace(stored, claimed)) {
            return Round.AGAIN;
        }
        return submit(claimed, connection, session);
    }

    /** Written only if nobody changed the send since it was read; the next look is queued. */
    private Round waitForExchange(Stored<OutboxRecord> stored, String why, Instant now) {
        OutboxRecord record = stored.value();
        Instant next = now.plus(lookAfter(Duration.between(record.delivery().submittedAt(), now)));
        if (!outbox.replace(stored, record.submitted(next, why + " (looked at " + now + ")", now))) {
            return Round.AGAIN;
        }
        enqueue(SendJob.of(record), Duration.between(now, next));
        return Round.DONE;
    }

    /** Right after the 202: the attempt holds the send, so the wait is written as is; the first look is soon. */
    private Round awaitExchange(OutboxRecord submitted, String why, Instant now) {
        Instant next = now.plus(FIRST_LOOK);
        outbox.update(submitted.accountId(), submitted.sendId(), r -> r.submitted(next, why, now));
        enqueue(SendJob.of(submitted), FIRST_LOOK);
        return Round.DONE;
    }

    /** As long as the mail has waited, between {@link #FIRST_LOOK} and {@link #LONGEST_LOOK}: few looks at a slow Exchange. */
    static Duration lookAfter(Duration waited) {
        return waited.compareTo(FIRST_LOOK) < 0 ? FIRST_LOOK : waited.compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : waited;
    }

    /**
     * Writes the send as the route says, if nobody changed it since it was read: waiting for the mailbox's pace, or
     * taken (SENDING) for its transport. Empty when somebody did.
     */
    private Optional<OutboxRecord> take(Stored<OutboxRecord> stored, SendingQuota.Route route, boolean countedNow, Instant now) {
        OutboxRecord record = stored.value();
        OutboxRecord next = switch (route) {
            case SendingQuota.Route.Wait(Instant until) ->
                    record.waiting(until, "Paced: the mailbox sent " + limits.messagesPerMinute() + " messages in the last minute", now);
            case SendingQuota.Route.ThroughMailbox through -> record.sending(Transport.MAILBOX, now.plus(LEASE), countedNow, now);
            case SendingQuota.Route.ThroughRelay relay -> record.sending(Transport.SMTP, now.plus(LEASE), countedNow, now);
        };
        return outbox.replace(stored, next) ? Optional.of(next) : Optional.empty();
    }

    /** Records how the attempt ended and tells the CRM; {@code session} is the mailbox's when the mailbox was used. */
    private Round settle(OutboxRecord claimed, MailboxConnection connection, GraphSender.Session session, SendResult result) {
        Instant now = clock.instant();
        return switch (result) {
            case SendResult.Sent(String internetMessageId) -> {
                WriteBack writeBack = claimed.attempt().transport() == Transport.SMTP && connection.profile() == Profile.FULL
                        ? WriteBack.PENDING : WriteBack.NONE;
                yield finish(outbox.update(claimed.accountId(), claimed.sendId(),
                        r -> r.sent(claimed.attempt().transport(), internetMessageId, writeBack, now)));
            }
            case SendResult.QuotaExhausted(Duration retryAfter, String reason) -> {
                LOG.info(() -> connection.logName() + " switches to the SMTP relay for every connection of it: " + reason);
                quotas.reportExhausted(session.mailboxId(), retryAfter, now);
                outbox.update(claimed.accountId(), claimed.sendId(), r -> r.refusedForQuota(reason, now));
                yield Round.AGAIN;
            }
            case SendResult.Retryable retryable -> retry(claimed, retryable, now);
            case SendResult.Rejected(String reason) -> finish(outbox.update(claimed.accountId(), claimed.sendId(), r -> r.failed(reason, now)));
        };
    }

    private Round retry(OutboxRecord record, SendResult.Retryable retryable, Instant now) {
        int failures = record.attempt().failures() + (retryable.countsAsFailure() ? 1 : 0);
        if (failures >= MAX_FAILURES) {
            return finish(failed(record, "Given up after " + failures + " failed attempts; the last: " + retryable.reason()));
        }
        Instant next = now.plus(retryable.after() != null ? retryable.after() : backoff(failures));
        OutboxRecord retrying = outbox.update(record.accountId(), record.sendId(),
                r -> r.retrying(next, retryable.reason(), retryable.countsAsFailure(), retryable.maybeSent(), now));
        LOG.info(() -> "Send " + record.sendId() + " retries at " + next + ": " + retryable.reason());
        report(retrying);
        enqueue(SendJob.of(record), Duration.between(now, next));
        return Round.DONE;
    }

    /** A Microsoft failure before anything was sent in this attempt (token, or looking in the mailbox). */
    private Round afterMicrosoftFailure(Stored<OutboxRecord> stored, MicrosoftFailure failure, Instant now) {
        OutboxRecord record = stored.value();
        String said = failure.summary();
        String refusedOnMailbox = "Microsoft refused a request on the mailbox: " + said;
        // Nothing was sent in this attempt; whatever an earlier one left undecided stays undecided (maybeSent keeps it).
        Duration after = failure.retryAfter().orElse(null);
        return switch (failure) {
            case MicrosoftFailure.Reauthenticate reauthenticate ->
                    finish(failed(record, "The mailbox needs the user to connect it again: " + said));
            case MicrosoftFailure.MailboxUnusable unusable -> finish(failed(record, refusedOnMailbox));
            case MicrosoftFailure.AccessDenied denied -> finish(failed(record, refusedOnMailbox));
            case MicrosoftFailure.NotFound notFound -> finish(failed(record, refusedOnMailbox));
            case MicrosoftFailure.ResyncRequired resync -> finish(failed(record, refusedOnMailbox));
            case MicrosoftFailure.Refused refused -> finish(failed(record, refusedOnMailbox));
            case MicrosoftFailure.Throttled throttled -> retry(record, SendResult.Retryable.throttled(after, said).possiblySent(), now);
            case MicrosoftFailure.QuotaSpent spent -> retry(record, SendResult.Retryable.throttled(after, said).possiblySent(), now);
            case MicrosoftFailure.Transient failed -> retry(record, SendResult.Retryable.failed(after, said).possiblySent(), now);
        };
    }

    private OutboxRecord failed(OutboxRecord record, String reason) {
        LOG.warning(() -> "Send " + record.sendId() + " of " + record.accountId() + "/" + record.userId() + " failed: " + reason);
        return outbox.update(record.accountId(), record.sendId(), r -> r.failed(reason, clock.instant()));
    }

    /** A final state: the CRM is told, and the content goes unless the Sent-folder sync still needs it. */
    private Round finish(OutboxRecord finished) {
        report(finished);
        if (finished.reporting().writeBack() != WriteBack.PENDING) {
            payloads.delete(finished.message().payload());
        }
        LOG.info(() -> "Send " + finished.sendId() + " of " + finished.accountId() + "/" + finished.userId() + " is " + finished.state()
                + (finished.attempt().transport() == null ? "" : " (" + finished.attempt().transport() + ")") + " after " + finished.attempt().attempts() + " attempts");
        return Round.DONE;
    }

    /** Publishes the state's send.status event (the same id when repeated), then notes that the CRM was told. */
    private void report(OutboxRecord record) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sendId", record.sendId());
        data.put("idempotencyKey", record.message().idempotencyKey());
        data.put("state", record.state().name());
        data.put("attempts", record.attempt().attempts());
        data.put("internetMessageId", record.message().internetMessageId());
        putIfPresent(data, "transport", record.attempt().transport() == null || record.state() != SendState.SENT ? null : record.attempt().transport().name());
        putIfPresent(data, "sentAt", record.delivery().sentAt());
        putIfPresent(data, "nextAttemptAt", record.attempt().nextAttemptAt());
        putIfPresent(data, "reason", record.attempt().reason());
        if (record.delivery().possibleDuplicate()) {
            data.put("possibleDuplicate", true);
        }
        events.publish(new CrmEvent(record.eventId(), "send.status", record.accountId(), record.userId(), clock.instant(), data));
        outbox.update(record.accountId(), record.sendId(), r -> r.eventId().equals(record.eventId()) ? r.reported() : r);
    }

    private static void putIfPresent(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }

    /** 30 s, doubling per failure, at most 30 minutes. */
    static Duration backoff(int failures) {
        Duration pause = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
        return pause.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : pause;
    }

    private void enqueue(SendJob job, Duration delay) {
        Duration bounded = delay.isNegative() ? Duration.ZERO : delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay;
        queue.send(StorageNames.OUTBOUND_MAIL_QUEUE, job.toJson(), bounded);
    }
}
