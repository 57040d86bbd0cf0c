package io.mailbridge.inbound;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.mailbridge.config.Region;
import io.mailbridge.crm.CrmEvent;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.crm.Prospects;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.AtOnce;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opentest4j.AssertionFailedError;

/**
 * Exactly once, as a property: for generated worlds (mailboxes connected in several CRM accounts at
 * once, prospects per account, mails between them and outsiders) every copy of every mail arrives
 * from several paths at the same moment (a Graph notification, the catch-up sweep, the Sent Items
 * reconciliation, a BCC), several times over, in a random order, while some deliveries were claimed
 * by a worker that then died. Whatever the interleaving: each CRM user gets each mail with one of
 * its account's prospects exactly once, and nobody gets a mail without one. The claims are the real
 * ones on Azurite; the CRM events are counted where they are published.
 */
class ExactlyOnceDeliveryIT {
    private static final Instant START = Instant.parse("2026-12-02T12:00:00Z");
    private static final List<MailItem.Source> PATHS = List.of(MailItem.Source.INBOX, MailItem.Source.SENT_ITEMS, MailItem.Source.BCC);
    private static final List<String> OUTSIDERS = List.of("buyer@fabrikam.example", "cfo@fabrikam.example", "friend@elsewhere.example");

    private static Azurite azurite;
    private static StorageClients storage;

    @BeforeContainer
    static void startAzurite() {
        azurite = Azurite.start();
        storage = TestStorage.clients(azurite);
    }

    @AfterContainer
    static void stopAzurite() {
        azurite.close();
    }

    /** One attempt to hand a mail to a connection's CRM user, from one of the paths that find mail. */
    private record Attempt(MailboxConnection connection, MailItem mail) {}

    /** A world drawn from a seed, so a failing run names the world that broke the rule. */
    private record World(List<MailboxConnection> connections, Map<String, Set<String>> prospectsByAccount, List<MailItem> mails,
            List<Attempt> attempts, List<Attempt> diedAfterClaiming) {

        static World drawn(long seed) {
            Random random = new Random(seed);
            int mailboxes = 2 + random.nextInt(2);
            List<MailboxConnection> connections = new ArrayList<>();
            Map<String, Set<String>> prospects = new HashMap<>();
            for (int account = 0; account < 2 + random.nextInt(2); account++) {
                String accountId = "acct" + account;
                Set<String> own = new LinkedHashSet<>();
                OUTSIDERS.stream().filter(o -> random.nextInt(3) > 0).forEach(own::add);
                prospects.put(accountId, own);
                for (int m = 0; m < mailboxes; m++) {
                    if (m == account % mailboxes || random.nextBoolean()) {
                        String address = "user" + m + "@contoso.example";
                        connections.add(new MailboxConnection(accountId, "user" + m, address, ConnectionState.ACTIVE, SyncMode.TWO_WAY,
                                Profile.FULL, Region.US, List.of(address), "bcc-" + accountId + "-" + m + "@bcc.test", null, START, START));
                    }
                }
            }
            List<MailItem> mails = new ArrayList<>();
            List<Attempt> attempts = new ArrayList<>();
            List<Attempt> died = new ArrayList<>();
            for (int n = 0; n < 3 + random.nextInt(4); n++) {
                List<String> people = new ArrayList<>();
                for (int m = 0; m < mailboxes; m++) {
                    people.add("user" + m + "@contoso.example");
                }
                people.addAll(OUTSIDERS);
                Collections.shuffle(people, random);
                List<String> participants = people.subList(0, 2 + random.nextInt(3));
                String messageId = "<mail-" + seed + "-" + n + "@example>";
                MailItem base = mail(MailItem.Source.INBOX, messageId, participants);
                mails.add(base);
                for (MailboxConnection connection : connections) {
                    if (!participants.contains(connection.mailboxAddress()) && random.nextInt(4) > 0) {
                        continue;
                    }
                    for (int copy = 0; copy < 1 + random.nextInt(4); copy++) {
                        attempts.add(new Attempt(connection, mail(PATHS.get(random.nextInt(PATHS.size())), messageId, participants)));
                    }
                    if (random.nextInt(5) == 0) {
                        died.add(new Attempt(connection, base));
                    }
                }
            }
            Collections.shuffle(attempts, random);
            return new World(connections, prospects, mails, attempts, died);
        }

        private static MailItem mail(MailItem.Source path, String messageId, List<String> participants) {
            List<MailItem.Address> to = participants.subList(1, participants.size()).stream().map(a -> new MailItem.Address(null, a)).toList();
            return new MailItem(path, "graph-" + path + "-" + messageId, messageId, null, "Subject " + messageId,
                    new MailItem.Address(null, participants.get(0)), to, List.of(), List.of(), START, START, "text", null, List.of(), null);
        }

        /** Whether the connection's CRM user should get the mail: one of its account's prospects takes part, besides the user. */
        boolean isFor(MailboxConnection connection, MailItem mail) {
            Set<String> others = MailDelivery.participantsOf(connection, mail);
            return others.stream().anyMatch(prospectsByAccount.get(connection.accountId())::contains);
        }
    }

    @Property(tries = 20)
    void eachUserGetsEachOfItsProspectMailsExactlyOnceWhateverTheInterleaving(@ForAll long seed) throws Exception {
        World world = World.drawn(seed);
        Prospects prospects = new Prospects(storage, TestStorage.newTable(storage, "prospects"));
        world.prospectsByAccount().forEach((account, addresses) -> prospects.upsert(account, addresses));
        Deliveries deliveries = new Deliveries(storage, TestStorage.newTable(storage, "deliveries"));
        Map<String, AtomicInteger> published = new ConcurrentHashMap<>();
        CrmEvents events = mock(CrmEvents.class);
        doAnswer(call -> published.computeIfAbsent(((CrmEvent) call.getArgument(0)).id(), id -> new AtomicInteger()).incrementAndGet())
                .when(events).publish(any());
        AtomicClock clock = new AtomicClock(START);
        MailDelivery delivery = new MailDelivery(prospects, deliveries, events, clock, Duration.ofMillis(60));

        // Workers that claimed a delivery and died before publishing it.
        for (Attempt dead : world.diedAfterClaiming()) {
            deliveries.claim(dead.connection().accountId(), dead.connection().userId(), MailDelivery.mailKey(dead.mail()), "dead",
                    START, MailDelivery.CLAIM_LEASE);
        }
        List<Attempt> toRetry = runConcurrently(delivery, world.attempts());
        // The queue or the gateway tries those again once the dead workers' claims have lapsed.
        clock.set(START.plus(MailDelivery.CLAIM_LEASE).plusSeconds(1));
        List<Attempt> stillHeld = runConcurrently(delivery, toRetry);

        if (!stillHeld.isEmpty()) {
            throw new AssertionFailedError("claims still held after their lease: " + stillHeld.size());
        }
        for (Attempt attempt : world.attempts()) {
            MailboxConnection connection = attempt.connection();
            String eventId = "email:" + connection.accountId() + ":" + connection.userId() + ":" + MailDelivery.mailKey(attempt.mail());
            int times = published.getOrDefault(eventId, new AtomicInteger()).get();
            int expected = world.isFor(connection, attempt.mail()) ? 1 : 0;
            if (times != expected) {
                throw new AssertionFailedError(connection.accountId() + "/" + connection.userId() + " got " + attempt.mail().internetMessageId()
                        + " " + times + " times, expected " + expected + " (world of seed " + seed + ")");
            }
        }
    }

    /** Runs every attempt at once; returns those told that another worker holds the mail. */
    private static List<Attempt> runConcurrently(MailDelivery delivery, List<Attempt> attempts) throws Exception {
        ConcurrentLinkedQueue<Attempt> held = new ConcurrentLinkedQueue<>();
        AtOnce.run(8, attempts, attempt -> {
            try {
                delivery.deliver(attempt.connection(), attempt.mail());
            } catch (DeliveryInProgressException e) {
                held.add(attempt);
            }
        });
        return List.copyOf(held);
    }

    /** A clock the test moves, shared by the workers. */
    private static final class AtomicClock extends Clock {
        private volatile Instant now;

        AtomicClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
