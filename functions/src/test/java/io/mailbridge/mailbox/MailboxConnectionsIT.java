package io.mailbridge.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.Stored;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class MailboxConnectionsIT {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123Z");

    private MailboxConnections connections;

    @BeforeEach
    void createTable(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        connections = new MailboxConnections(storage, TestStorage.newTable(storage, "connections"));
    }

    private static MailboxConnection connection(String accountId, String userId) {
        return new MailboxConnection(accountId, userId, "ada@contoso.example", ConnectionState.ACTIVE,
                SyncMode.TWO_WAY, Profile.FULL, Region.US, List.of("ada@contoso.example", "sales@contoso.example"),
                "bcc-7f3a@in.mailbridge.example", null, T0, T0);
    }

    private static MailboxConnection connection(String accountId, String userId, String mailbox) {
        return new MailboxConnection(accountId, userId, mailbox, ConnectionState.ACTIVE, SyncMode.ONE_WAY, Profile.RESTRICTED,
                Region.EU, List.of(mailbox), null, "earlier failure", T0, T0.plusSeconds(9));
    }

    @Test
    void storesAndReadsBackEveryField() {
        MailboxConnection original = connection("acct/1#x", "user?7");
        connections.connect(original, Optional.empty());

        Stored<MailboxConnection> found = connections.find("acct/1#x", "user?7").orElseThrow();

        assertEquals(original, found.value());
        assertTrue(found.etag() != null && !found.etag().isEmpty());
        MailboxConnection other = connection("acct", "u2", "bob@contoso.example");
        connections.connect(other, Optional.empty());
        assertEquals(other, connections.find("acct", "u2").orElseThrow().value());
        assertEquals(Optional.of("user?7"), connections.holderOf("acct/1#x", "ADA@contoso.example"));
    }

    @Test
    void listsConnectionsButNotTheirMailboxClaims() {
        connections.connect(connection("a1", "u1"), Optional.empty());
        connections.connect(connection("a2", "u2", "bob@contoso.example"), Optional.empty());

        assertEquals(Set.of("a1/u1", "a2/u2"),
                connections.all().stream().map(c -> c.accountId() + "/" + c.userId()).collect(Collectors.toSet()));
    }

    @Test
    void aSecondUserOfTheAccountCannotConnectTheSameMailboxButAnotherAccountCan() {
        connections.connect(connection("acct", "ada"), Optional.empty());

        assertThrows(MailboxTakenException.class, () -> connections.connect(connection("acct", "eve"), Optional.empty()));
        assertEquals(Optional.empty(), connections.find("acct", "eve"), "nothing half-written");
        connections.connect(connection("other-acct", "eve"), Optional.empty());
        assertEquals(Optional.of("eve"), connections.holderOf("other-acct", "ada@contoso.example"));
    }

    @Test
    void aReconnectWithAnotherMailboxMovesTheClaim() {
        connections.connect(connection("acct", "ada"), Optional.empty());
        Stored<MailboxConnection> existing = connections.find("acct", "ada").orElseThrow();

        connections.connect(connection("acct", "ada", "ada.new@contoso.example"), Optional.of(existing));

        assertEquals("ada.new@contoso.example", connections.find("acct", "ada").orElseThrow().value().mailboxAddress());
        assertEquals(Optional.empty(), connections.holderOf("acct", "ada@contoso.example"));
        assertEquals(Optional.of("ada"), connections.holderOf("acct", "ada.new@contoso.example"));
        connections.connect(connection("acct", "bob"), Optional.empty());
    }

    @Test
    void aWriteBasedOnAStaleReadIsATypedConflict() {
        connections.connect(connection("acct", "user"), Optional.empty());
        Stored<MailboxConnection> read = connections.find("acct", "user").orElseThrow();
        connections.update("acct", "user", c -> c.withState(ConnectionState.NEEDS_REAUTH, "invalid_grant", T0.plusSeconds(1)));
        assertNotEquals(read.etag(), connections.find("acct", "user").orElseThrow().etag());

        assertThrows(ConcurrentUpdateException.class, () -> connections.connect(connection("acct", "user"), Optional.of(read)));
        assertEquals(ConnectionState.NEEDS_REAUTH, connections.find("acct", "user").orElseThrow().value().state());
        assertThrows(ConcurrentUpdateException.class, () -> connections.connect(connection("acct", "user"), Optional.empty()),
                "a second first-time connect of the same user conflicts too");
    }

    @Test
    void ofTwoConcurrentWritersExactlyOneWinsAndTheOtherRetriesWithoutLosingItsChange() throws Exception {
        connections.connect(connection("acct", "user"), Optional.empty());
        CyclicBarrier bothHaveRead = new CyclicBarrier(2);
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            // Each writer's first attempt waits until both have read the same version, so the race is certain.
            Future<?> stateWriter = writers.submit(() -> {
                connections.update("acct", "user", current -> {
                    awaitFirstAttempt(bothHaveRead, attempts);
                    return current.withState(ConnectionState.NEEDS_REAUTH, "invalid_grant", T0.plusSeconds(5));
                });
                done.countDown();
                return null;
            });
            Future<?> aliasWriter = writers.submit(() -> {
                connections.update("acct", "user", current -> {
                    awaitFirstAttempt(bothHaveRead, attempts);
                    return current.withAliases(List.of("ada@contoso.example", "new@contoso.example"), T0.plusSeconds(6));
                });
                done.countDown();
                return null;
            });
            assertTrue(done.await(30, TimeUnit.SECONDS));
            stateWriter.get();
            aliasWriter.get();
        } finally {
            writers.shutdownNow();
        }

        MailboxConnection result = connections.find("acct", "user").orElseThrow().value();
        assertEquals(ConnectionState.NEEDS_REAUTH, result.state(), "the state writer's change survived");
        assertEquals(List.of("ada@contoso.example", "new@contoso.example"), result.aliases(), "the alias writer's change survived");
        assertEquals(3, attempts.get(), "both read the same version; exactly one lost and re-applied its change once");
    }

    private static void awaitFirstAttempt(CyclicBarrier bothHaveRead, AtomicInteger attempts) {
        if (attempts.incrementAndGet() <= 2) {
            try {
                bothHaveRead.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
