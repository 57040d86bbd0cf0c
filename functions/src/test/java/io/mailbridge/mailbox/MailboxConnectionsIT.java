package io.mailbridge.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.EntityAlreadyExistsException;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.Stored;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Instant;
import java.util.List;
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

    @Test
    void storesAndReadsBackEveryField() {
        MailboxConnection original = connection("acct/1#x", "user?7");
        connections.insert(original);

        Stored<MailboxConnection> found = connections.find("acct/1#x", "user?7").orElseThrow();

        assertEquals(original, found.value());
        assertTrue(found.etag() != null && !found.etag().isEmpty());
    }

    @Test
    void refusesASecondConnectionForTheSameUser() {
        connections.insert(connection("acct", "user"));

        assertThrows(EntityAlreadyExistsException.class, () -> connections.insert(connection("acct", "user")));
    }

    @Test
    void aWriteBasedOnAStaleReadIsATypedConflict() {
        connections.insert(connection("acct", "user"));
        Stored<MailboxConnection> inserted = connections.find("acct", "user").orElseThrow();
        connections.replace(inserted, inserted.value().withState(ConnectionState.NEEDS_REAUTH, "invalid_grant", T0.plusSeconds(1)));
        assertNotEquals(inserted.etag(), connections.find("acct", "user").orElseThrow().etag());

        assertThrows(ConcurrentUpdateException.class, () -> connections.replace(inserted,
                inserted.value().withAliases(List.of("x@contoso.example"), T0.plusSeconds(2))));
        assertEquals(ConnectionState.NEEDS_REAUTH, connections.find("acct", "user").orElseThrow().value().state());
    }

    @Test
    void ofTwoConcurrentWritersExactlyOneWinsAndTheOtherRetriesWithoutLosingItsChange() throws Exception {
        connections.insert(connection("acct", "user"));
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
