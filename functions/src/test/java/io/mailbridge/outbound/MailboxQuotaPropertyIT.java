package io.mailbridge.outbound;

import io.mailbridge.config.Settings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.support.AtOnce;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.UniqueNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opentest4j.AssertionFailedError;

/**
 * Quota per mailbox, as a property: generated bursts of sends on mailboxes shared by several
 * connections, run by parallel workers, where some claims are lost to another attempt and some
 * workers die between reserving and claiming. Whatever the interleaving, a mailbox never sends more
 * recipients a day nor more messages a minute than its limits, and its stored count is exactly
 * what went through it plus what dead workers reserved: over by their reservations, never under.
 */
class MailboxQuotaPropertyIT {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private static Azurite azurite;
    private static StorageClients storage;

    @BeforeContainer
    static void startAzurite() {
        azurite = Azurite.start();
        storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
    }

    @AfterContainer
    static void stopAzurite() {
        azurite.close();
    }

    private enum Fate { CLAIMED, LOST_TO_ANOTHER_ATTEMPT, WORKER_DIED }

    private record Send(String mailboxId, int recipients, Instant at, Fate fate) {}

    /** What one mailbox saw: recipients and messages that went through it, and recipients reserved by workers that died. */
    private static final class Tally {
        final AtomicInteger recipientsSent = new AtomicInteger();
        final AtomicInteger messagesSent = new AtomicInteger();
        final AtomicInteger recipientsReservedByTheDead = new AtomicInteger();
    }

    @Property(tries = 15)
    void aMailboxNeverPassesItsLimitsAndItsCountIsNeverUnder(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Settings.SendingLimits limits = new Settings.SendingLimits(6 + random.nextInt(10), 2 + random.nextInt(3));
        MailboxQuotas quotas = new MailboxQuotas(storage, limits);
        List<String> mailboxes = List.of(UniqueNames.next("oid") + ".t", UniqueNames.next("oid") + ".t");
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < 12 + random.nextInt(12); i++) {
            int roll = random.nextInt(10);
            Fate fate = roll < 7 ? Fate.CLAIMED : roll < 9 ? Fate.LOST_TO_ANOTHER_ATTEMPT : Fate.WORKER_DIED;
            // All in one instant, as a burst is to the per-minute pace: the pace binds as well as the day.
            sends.add(new Send(mailboxes.get(random.nextInt(mailboxes.size())), 1 + random.nextInt(4), T0, fate));
        }
        ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
        mailboxes.forEach(mailbox -> tallies.put(mailbox, new Tally()));

        AtOnce.run(6, sends, send -> {
            Tally tally = tallies.get(send.mailboxId());
            try {
                quotas.reserveAndClaim(send.mailboxId(), send.recipients(), false, send.at(), (route, countedNow) -> {
                    boolean throughMailbox = switch (route) {
                        case SendingQuota.Route.ThroughMailbox through -> true;
                        case SendingQuota.Route.ThroughRelay relay -> false;
                        case SendingQuota.Route.Wait wait -> false;
                    };
                    switch (send.fate()) {
                        case WORKER_DIED -> {
                            if (throughMailbox && countedNow) {
                                tally.recipientsReservedByTheDead.addAndGet(send.recipients());
                            }
                            throw new IllegalStateException("the worker died");
                        }
                        case LOST_TO_ANOTHER_ATTEMPT -> {
                            return Optional.empty();
                        }
                        default -> {
                            if (throughMailbox) {
                                tally.recipientsSent.addAndGet(send.recipients());
                                tally.messagesSent.incrementAndGet();
                            }
                            return Optional.of(route);
                        }
                    }
                });
            } catch (IllegalStateException died) {
                // As the host sees a crashed invocation: nothing given back.
            }
        });

        for (String mailbox : mailboxes) {
            Tally tally = tallies.get(mailbox);
            SendingQuota stored = quotas.of(mailbox);
            String world = " (seed " + seed + ", " + limits + ")";
            if (tally.recipientsSent.get() > limits.recipientsPerDay()) {
                throw new AssertionFailedError(tally.recipientsSent.get() + " recipients went through the mailbox" + world);
            }
            if (tally.messagesSent.get() > limits.messagesPerMinute()) {
                throw new AssertionFailedError(tally.messagesSent.get() + " messages went through the mailbox in one minute" + world);
            }
            int expected = tally.recipientsSent.get() + tally.recipientsReservedByTheDead.get();
            if (stored.recipientsInWindow(T0) != expected) {
                throw new AssertionFailedError("stored " + stored.recipientsInWindow(T0) + " recipients, expected " + expected + world);
            }
        }
    }
}
