package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Settings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SendingQuotaTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Settings.SendingLimits LIMITS = new Settings.SendingLimits(50, 30);

    /** Sends {@code count} mails of {@code recipients} each through the mailbox, one every {@code gap}. */
    private static SendingQuota sent(SendingQuota quota, int count, int recipients, Instant start, Duration gap) {
        for (int i = 0; i < count; i++) {
            SendingQuota.Route route = quota.route(recipients, false, LIMITS, start.plus(gap.multipliedBy(i)));
            quota = assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, route, "mail " + (i + 1)).quota();
        }
        return quota;
    }

    @Test
    void countsRecipientsUntilTheNextMailWouldPassTheLimitThenMarksTheMailboxExhaustedUntilEnoughLeavesTheWindow() {
        SendingQuota quota = sent(SendingQuota.unused("mailbox"), 25, 2, T0, Duration.ofMinutes(2));
        Instant now = T0.plus(Duration.ofHours(1));
        assertEquals(50, quota.recipientsInWindow(now));

        SendingQuota.Route.ThroughRelay relay = assertInstanceOf(SendingQuota.Route.ThroughRelay.class, quota.route(1, false, LIMITS, now));

        // The first minute's 2 recipients leave once that whole minute is 24 hours old.
        assertEquals(T0.plus(Duration.ofMinutes(1)).plus(Duration.ofHours(24)), relay.quota().exhaustedUntil());
        assertEquals(SendingQuota.Exhaustion.COUNTED, relay.quota().exhaustedBy());
        assertInstanceOf(SendingQuota.Route.ThroughRelay.class, relay.quota().route(1, false, LIMITS, now.plusSeconds(5)));
        SendingQuota.Route later = relay.quota().route(1, false, LIMITS, T0.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(1)));
        assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, later);
    }

    @Test
    void aMailThatNeedsMoreThanTheFreeRoomWaitsForAsManyRecipientsToLeave() {
        SendingQuota quota = sent(SendingQuota.unused("mailbox"), 10, 5, T0, Duration.ofMinutes(10));

        SendingQuota.Route route = quota.route(12, false, LIMITS, T0.plus(Duration.ofHours(2)));

        // 12 over a full window of 50 needs three of the 5-recipient minutes to leave.
        assertEquals(T0.plus(Duration.ofMinutes(21)).plus(Duration.ofHours(24)),
                assertInstanceOf(SendingQuota.Route.ThroughRelay.class, route).quota().exhaustedUntil());
    }

    @Test
    void pacesTheMailboxToItsMessagesPerMinute() {
        SendingQuota quota = sent(SendingQuota.unused("mailbox"), 30, 1, T0, Duration.ofMillis(100));

        SendingQuota.Route route = quota.route(1, false, new Settings.SendingLimits(1000, 30), T0.plusSeconds(10));

        assertEquals(T0.plus(SendingQuota.MINUTE).plus(SendingQuota.PACE_MARGIN), assertInstanceOf(SendingQuota.Route.Wait.class, route).until());
        assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, quota.route(1, false, new Settings.SendingLimits(1000, 30),
                T0.plus(SendingQuota.MINUTE).plusMillis(1)));
    }

    @Test
    void aMailCountedByAnEarlierAttemptIsNeitherCountedNorPacedAgainButStillAvoidsAnExhaustedMailbox() {
        SendingQuota full = sent(SendingQuota.unused("mailbox"), 30, 1, T0, Duration.ofMillis(10));

        SendingQuota.Route again = full.route(1, true, LIMITS, T0.plusSeconds(1));

        assertNull(assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, again).quota());
        SendingQuota exhausted = full.reportedExhausted(Duration.ofHours(3), T0.plusSeconds(1));
        assertInstanceOf(SendingQuota.Route.ThroughRelay.class, exhausted.route(1, true, LIMITS, T0.plusSeconds(2)));
    }

    @Test
    void aMailWithMoreRecipientsThanADayAllowsGoesByRelayWithoutMarkingTheMailbox() {
        SendingQuota.Route route = SendingQuota.unused("mailbox").route(51, false, LIMITS, T0);

        assertNull(assertInstanceOf(SendingQuota.Route.ThroughRelay.class, route).quota());
    }

    @Test
    void exchangesReportHoldsForItsRetryAfterOrAWholeWindowWithoutOne() {
        SendingQuota quota = SendingQuota.unused("mailbox");

        SendingQuota told = quota.reportedExhausted(Duration.ofSeconds(3600), T0);
        SendingQuota untold = quota.reportedExhausted(null, T0);

        assertEquals(T0.plusSeconds(3600), told.exhaustedUntil());
        assertEquals(SendingQuota.Exhaustion.REPORTED, told.exhaustedBy());
        assertEquals(T0.plus(SendingQuota.WINDOW), untold.exhaustedUntil());
        assertTrue(told.isExhaustedAt(T0.plusSeconds(3599)));
        assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, told.route(1, false, LIMITS, T0.plusSeconds(3600)));
    }
}
