package io.mailbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailbridge.config.Region;
import io.mailbridge.crm.DeadLetters;
import io.mailbridge.crm.DeadLetters.DeadLetter;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.Tally;
import io.mailbridge.storage.TimerRuns;
import io.mailbridge.storage.TimerRuns.Outcome;
import io.mailbridge.storage.TimerRuns.TimerRun;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the ops view reads from storage, on the test run's Azurite: timer runs, and the aggregates over the app's tables. */
@ExtendWith(AzuriteExtension.class)
class OpsStorageIT {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00.123Z");

    private final SandboxClock clock = SandboxClock.frozenAt(T0);
    private StorageClients storage;

    @BeforeEach
    void connect(Azurite azurite) {
        storage = TestStorage.clients(azurite);
    }

    @Test
    void aTimerRunIsStoredAsItStartsAndAsItEnds() {
        TimerRuns runs = new TimerRuns(storage, TestStorage.newTable(storage, "timerruns"), clock);
        runs.record("sweep", () -> {
            assertEquals(List.of(new TimerRun("sweep", T0, null, Outcome.RUNNING, null)), runs.all(), "running, while it runs");
            clock.advance(Duration.ofSeconds(3));
        });
        assertEquals(List.of(new TimerRun("sweep", T0, T0.plusSeconds(3), Outcome.SUCCEEDED, null)), runs.all());
    }

    @Test
    void aFailedRunIsStoredByTheClassOfWhatItThrewAndStillFailsTheInvocation() {
        TimerRuns runs = new TimerRuns(storage, TestStorage.newTable(storage, "timerruns"), clock);
        runs.record("housekeeping", () -> clock.advance(Duration.ofSeconds(1)));
        IllegalStateException thrown = new IllegalStateException("mailbox ada@contoso.example refused");

        assertSame(thrown, assertThrows(IllegalStateException.class, () -> runs.record("sweep", () -> {
            throw thrown;
        })));
        assertEquals(List.of(new TimerRun("housekeeping", T0, T0.plusSeconds(1), Outcome.SUCCEEDED, null),
                new TimerRun("sweep", T0.plusSeconds(1), T0.plusSeconds(1), Outcome.FAILED, "java.lang.IllegalStateException")), runs.all());
    }

    @Test
    void aTimerStillRunsWhenItsRunCannotBeStored() {
        TimerRuns runs = new TimerRuns(storage, "nosuchtable", clock);
        boolean[] ran = {false};
        runs.record("sweep", () -> ran[0] = true);
        assertEquals(true, ran[0]);
    }

    @Test
    void connectionsAreCountedByRegionAndStateWithoutTheirMailboxClaims() {
        MailboxConnections connections = new MailboxConnections(storage, TestStorage.newTable(storage, "connections"));
        connections.connect(connection("a1", "u1", Region.US, ConnectionState.ACTIVE), Optional.empty());
        connections.connect(connection("a1", "u2", Region.US, ConnectionState.ACTIVE), Optional.empty());
        connections.connect(connection("a2", "u1", Region.US, ConnectionState.NEEDS_REAUTH), Optional.empty());
        connections.connect(connection("a3", "u1", Region.EU, ConnectionState.DISCONNECTED), Optional.empty());

        assertEquals(Map.of(Region.US, Map.of(ConnectionState.ACTIVE, 2L, ConnectionState.NEEDS_REAUTH, 1L),
                Region.EU, Map.of(ConnectionState.DISCONNECTED, 1L)), connections.countByRegionAndState());
    }

    @Test
    void subscriptionsExpiringBeforeATimeAreCountedWithTheSoonest() {
        Subscriptions subscriptions = new Subscriptions(storage, TestStorage.newTable(storage, "subscriptions"),
                TestStorage.newTable(storage, "subscriptionindex"));
        subscriptions.save(subscription("s1", "u1", T0.minusSeconds(60)));
        subscriptions.save(subscription("s2", "u2", T0.plus(Duration.ofHours(23))));
        subscriptions.save(subscription("s3", "u3", T0.plus(Duration.ofDays(5))));

        assertEquals(new Tally(2, T0.minusSeconds(60)), subscriptions.expiringBefore(T0.plus(Duration.ofDays(1))));
        assertEquals(new Tally(0, null), subscriptions.expiringBefore(T0.minus(Duration.ofDays(1))));
    }

    @Test
    void openDeadLettersAreCountedWithTheOldest() {
        DeadLetters deadLetters = new DeadLetters(storage, TestStorage.newTable(storage, "deadletters"));
        assertEquals(new Tally(0, null), deadLetters.open());
        deadLetters.add(new DeadLetter("e1", "email.received", "{}", "HTTP 400", 8, T0));
        deadLetters.add(new DeadLetter("e2", "email.received", "{}", "HTTP 400", 8, T0.minusSeconds(3600)));

        assertEquals(new Tally(2, T0.minusSeconds(3600)), deadLetters.open());
    }

    private static MailboxConnection connection(String account, String user, Region region, ConnectionState state) {
        String mailbox = user + "@" + account + ".example";
        return new MailboxConnection(account, user, mailbox, state, SyncMode.TWO_WAY, Profile.FULL, region, List.of(mailbox), null, null, T0, T0);
    }

    private static MailSubscription subscription(String id, String user, Instant expiresAt) {
        return new MailSubscription(id, "acct", user, user + "@contoso.example", "inbox", "hash", expiresAt);
    }
}
