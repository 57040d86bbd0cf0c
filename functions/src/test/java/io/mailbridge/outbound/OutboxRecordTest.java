package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboxRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final OutboxRecord QUEUED = OutboxRecord.queued("acct", "user", "send1", "key-1", "f", "outbox/send1/f.json", 1,
            "<send1@contoso.example>", T0);

    @Test
    void anAttemptHoldsItsLeaseAndAnAttemptPastItIsDue() {
        OutboxRecord sending = QUEUED.sending(Transport.MAILBOX, T0.plus(OutboundSender.LEASE), true, T0);

        assertEquals(1, sending.attempt().attempts());
        assertTrue(sending.delivery().maybeSentByMailbox());
        assertTrue(sending.delivery().quotaCounted());
        assertFalse(sending.isDueAt(T0.plus(Duration.ofMinutes(10))));
        assertTrue(sending.isDueAt(T0.plus(OutboundSender.LEASE)));
    }

    @Test
    void aCertainRefusalClearsTheSuspicionAndAnUncertainOneKeepsIt() {
        OutboxRecord sending = QUEUED.sending(Transport.MAILBOX, T0.plus(OutboundSender.LEASE), true, T0);

        OutboxRecord throttled = sending.retrying(T0.plusSeconds(7), "429", false, false, T0);
        OutboxRecord failed = sending.retrying(T0.plusSeconds(30), "503", true, true, T0);

        assertFalse(throttled.delivery().maybeSentByMailbox());
        assertEquals(0, throttled.attempt().failures());
        assertTrue(failed.delivery().maybeSentByMailbox());
        assertEquals(1, failed.attempt().failures());
        assertTrue(throttled.reporting().eventDue());
        assertFalse(throttled.isDueAt(T0.plusSeconds(6)));
        assertTrue(throttled.isDueAt(T0.plusSeconds(7)));
    }

    @Test
    void aResendAfterAnUncertainSmtpAttemptIsAPossibleDuplicate() {
        OutboxRecord first = QUEUED.sending(Transport.SMTP, T0.plus(OutboundSender.LEASE), false, T0);
        assertFalse(first.delivery().possibleDuplicate());

        OutboxRecord second = first.sending(Transport.SMTP, T0.plus(Duration.ofMinutes(30)), false, T0.plus(Duration.ofMinutes(12)));

        assertTrue(second.delivery().possibleDuplicate());
        assertTrue(second.sent(Transport.SMTP, "<send1@contoso.example>", WriteBack.PENDING, T0).delivery().possibleDuplicate());
    }

    @Test
    void eventIdsAreTheSameForTheSameStateOfTheSameAttemptOnly() {
        OutboxRecord sending = QUEUED.sending(Transport.SMTP, T0.plus(OutboundSender.LEASE), false, T0);
        OutboxRecord sent = sending.sent(Transport.SMTP, "<send1@contoso.example>", WriteBack.NONE, T0);

        assertEquals(sent.eventId(), sent.reported().eventId());
        assertEquals("send:send1:SENT:1", sent.eventId());
        assertNotEquals(sent.eventId(), sending.retrying(T0, "x", true, false, T0).eventId());
        assertFalse(sent.reported().reporting().eventDue());
    }

    @Test
    void backOffDoublesFromThirtySecondsUpToHalfAnHour() {
        assertEquals(Duration.ofSeconds(30), OutboundSender.backoff(1));
        assertEquals(Duration.ofMinutes(1), OutboundSender.backoff(2));
        assertEquals(Duration.ofMinutes(16), OutboundSender.backoff(6));
        assertEquals(Duration.ofMinutes(30), OutboundSender.backoff(7));
        assertEquals(Duration.ofMinutes(30), OutboundSender.backoff(40));
    }

    @Test
    void theDraftsIdStaysThroughRetriesAndWaitingAndGoesWhenTheQuotaTurnsTheSendToTheRelay() {
        OutboxRecord drafted = QUEUED.sending(Transport.MAILBOX, T0.plus(OutboundSender.LEASE), true, T0).drafted("AAkALgdraft", T0.plusSeconds(1));
        OutboxRecord waiting = drafted.waiting(T0.plusSeconds(11), "Accepted by the mailbox", T0.plusSeconds(1));
        OutboxRecord retrying = drafted.retrying(T0.plusSeconds(30), "503", true, true, T0.plusSeconds(1));
        OutboxRecord sentOn = waiting.sent(Transport.MAILBOX, QUEUED.message().internetMessageId(), WriteBack.NONE, T0.plusSeconds(11));
        OutboxRecord toRelay = drafted.refusedForQuota("quota", T0.plusSeconds(1));

        assertEquals("AAkALgdraft", drafted.delivery().mailboxMessageId());
        assertEquals(T0.plusSeconds(1), drafted.delivery().submittedAt());
        assertEquals(SendState.SENDING, drafted.state());
        assertEquals("AAkALgdraft", waiting.delivery().mailboxMessageId());
        assertFalse(waiting.reporting().eventDue(), "waiting for Exchange is not news for the CRM");
        assertEquals("AAkALgdraft", retrying.delivery().mailboxMessageId());
        assertEquals("AAkALgdraft", sentOn.delivery().mailboxMessageId());
        assertEquals(null, toRelay.delivery().mailboxMessageId());
        assertEquals(null, toRelay.delivery().submittedAt());
    }

    @Test
    void looksAtAnAcceptedMailWaitAsLongAsItHasWaitedWithinBounds() {
        assertEquals(OutboundSender.FIRST_LOOK, OutboundSender.lookAfter(Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), OutboundSender.lookAfter(Duration.ofMinutes(2)));
        assertEquals(OutboundSender.LONGEST_LOOK, OutboundSender.lookAfter(Duration.ofHours(5)));
    }
}
