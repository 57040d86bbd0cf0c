package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Settings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mailbox's quota in its own partition on the real Azurite: reserve, claim, give back, and attempts racing on one mailbox. */
@ExtendWith(AzuriteExtension.class)
class MailboxQuotasIT {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    /** 10 recipients a day, 4 messages a minute: low enough that a dozen attempts reach both. */
    private static final Settings.SendingLimits LIMITS = new Settings.SendingLimits(10, 4);
    private static final int ATTEMPTS = 12;

    private final ExecutorService workers = Executors.newFixedThreadPool(ATTEMPTS);
    private MailboxQuotas quotas;
    private String mailbox;

    @BeforeEach
    void setUp(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
        quotas = new MailboxQuotas(storage, LIMITS);
        mailbox = UniqueNames.next("oid") + ".tenant";
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    /** A claim that always gets the send. */
    private static Optional<SendingQuota.Route> claimed(SendingQuota.Route route, boolean countedNow) {
        return Optional.of(route);
    }

    @Test
    void theReservationIsStoredBeforeTheClaimAndStaysWhenTheClaimSucceeds() {
        Optional<Boolean> taken = quotas.reserveAndClaim(mailbox, 3, false, T0, (route, countedNow) -> {
            assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, route);
            assertEquals(3, quotas.of(mailbox).recipientsInWindow(T0), "counted before the send is claimed");
            return Optional.of(countedNow);
        });

        assertEquals(Optional.of(true), taken, "the claim is told that its recipients were counted now");
        SendingQuota quota = quotas.of(mailbox);
        assertEquals(3, quota.recipientsInWindow(T0));
        assertEquals(1, quota.messagesInLastMinute(T0));
    }

    @Test
    void aFailedClaimGivesItsReservationBackAndKeepsWhatOtherAttemptsCountedMeanwhile() {
        quotas.reserveAndClaim(mailbox, 2, false, T0, MailboxQuotasIT::claimed);

        Optional<String> lost = quotas.reserveAndClaim(mailbox, 3, false, T0.plusSeconds(1), (route, countedNow) -> {
            // While this attempt finds its send taken, another connection of the mailbox counts a mail of its own.
            quotas.reserveAndClaim(mailbox, 4, false, T0.plusSeconds(2), MailboxQuotasIT::claimed);
            assertEquals(9, quotas.of(mailbox).recipientsInWindow(T0.plusSeconds(2)));
            return Optional.empty();
        });

        assertTrue(lost.isEmpty());
        SendingQuota quota = quotas.of(mailbox);
        assertEquals(6, quota.recipientsInWindow(T0.plusSeconds(3)), "only the failed claim's 3 went back");
        assertEquals(List.of(T0, T0.plusSeconds(2)), quota.recentMessages(), "and only its place in the minute");
    }

    @Test
    void anAttemptThatDiesBetweenReservingAndClaimingLeavesTheMailboxCountedOverNeverUnder() {
        assertThrows(IllegalStateException.class, () -> quotas.reserveAndClaim(mailbox, 3, false, T0, (route, countedNow) -> {
            throw new IllegalStateException("the host died before the claim");
        }));
        assertEquals(3, quotas.of(mailbox).recipientsInWindow(T0));

        // The send was never claimed, so its next attempt counts it again.
        Optional<Boolean> again = quotas.reserveAndClaim(mailbox, 3, false, T0.plusSeconds(1), (route, countedNow) -> Optional.of(countedNow));

        assertEquals(Optional.of(true), again);
        assertEquals(6, quotas.of(mailbox).recipientsInWindow(T0.plusSeconds(1)));
    }

    @Test
    void aMailAnEarlierAttemptCountedIsNotReservedAgainNorGivenBack() {
        quotas.reserveAndClaim(mailbox, 3, false, T0, MailboxQuotasIT::claimed);

        Optional<Boolean> retry = quotas.reserveAndClaim(mailbox, 3, true, T0.plusSeconds(1), (route, countedNow) -> {
            assertInstanceOf(SendingQuota.Route.ThroughMailbox.class, route);
            assertFalse(countedNow);
            return Optional.empty();
        });

        assertTrue(retry.isEmpty());
        assertEquals(3, quotas.of(mailbox).recipientsInWindow(T0.plusSeconds(1)), "counted once, by the first attempt");
    }

    @Test
    void attemptsRacingOnOneMailboxNeverPassItsPaceNorItsDailyRecipients() throws Exception {
        // A dozen one-recipient mails at the same instant: four fit in the minute, the others wait for the next one.
        Map<Class<?>, Long> first = race(1, T0);
        assertEquals(Map.of(SendingQuota.Route.ThroughMailbox.class, 4L, SendingQuota.Route.Wait.class, 8L), first);
        assertEquals(4, quotas.of(mailbox).recipientsInWindow(T0));
        assertEquals(4, quotas.of(mailbox).messagesInLastMinute(T0));

        // A minute later, two recipients each: six left in the day fit three mails, the rest go by the relay.
        Instant later = T0.plusSeconds(61);
        Map<Class<?>, Long> second = race(2, later);
        assertEquals(Map.of(SendingQuota.Route.ThroughMailbox.class, 3L, SendingQuota.Route.ThroughRelay.class, 9L), second);
        SendingQuota quota = quotas.of(mailbox);
        assertEquals(10, quota.recipientsInWindow(later));
        assertEquals(3, quota.messagesInLastMinute(later));
        assertEquals(SendingQuota.Exhaustion.COUNTED, quota.exhaustedBy());
    }

    /** {@link #ATTEMPTS} attempts of {@code recipients} each, released at once; how many went which way. */
    private Map<Class<?>, Long> race(int recipients, Instant now) throws Exception {
        CyclicBarrier start = new CyclicBarrier(ATTEMPTS);
        List<Future<SendingQuota.Route>> routes = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            routes.add(workers.submit(() -> {
                start.await();
                return quotas.reserveAndClaim(mailbox, recipients, false, now, MailboxQuotasIT::claimed).orElseThrow();
            }));
        }
        List<SendingQuota.Route> decided = new ArrayList<>();
        for (Future<SendingQuota.Route> route : routes) {
            decided.add(route.get());
        }
        return decided.stream().collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
    }
}
