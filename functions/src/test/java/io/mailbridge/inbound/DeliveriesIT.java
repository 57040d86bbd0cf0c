package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class DeliveriesIT {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private StorageClients storage;
    private String table;
    private Deliveries deliveries;

    @BeforeEach
    void createTable(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        table = TestStorage.newTable(storage, "deliveries");
        deliveries = new Deliveries(storage, table);
    }

    @Test
    void ofManyConcurrentClaimsOfOneMailExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Deliveries.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                claims.add(() -> deliveries.claim("acct", "ada", "mail-1", "email:1", NOW, LEASE));
            }
            List<Deliveries.Claim> answers = new ArrayList<>();
            for (Future<Deliveries.Claim> claim : pool.invokeAll(claims)) {
                answers.add(claim.get());
            }
            assertEquals(1, answers.stream().filter(Deliveries.Claim.Won.class::isInstance).count(), answers.toString());
            assertTrue(answers.stream().allMatch(a -> Deliveries.Claim.Won.class.isInstance(a)
                    || a.equals(new Deliveries.Claim.HeldUntil(NOW.plus(LEASE)))), answers.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimIsNotADeliveryUntilConfirmed() {
        assertInstanceOf(Deliveries.Claim.Won.class, deliveries.claim("acct", "ada", "mail-1", "email:1", NOW, LEASE));
        assertFalse(deliveries.wasDelivered("acct", "ada", "mail-1"));

        deliveries.confirm("acct", "ada", "mail-1", "email:1", NOW);

        assertTrue(deliveries.wasDelivered("acct", "ada", "mail-1"));
        assertInstanceOf(Deliveries.Claim.AlreadyDelivered.class, deliveries.claim("acct", "ada", "mail-1", "email:1", NOW, LEASE));
        assertInstanceOf(Deliveries.Claim.Won.class, deliveries.claim("acct", "bob", "mail-1", "email:2", NOW, LEASE),
                "another user's copy is another delivery");
    }

    @Test
    void aLapsedClaimIsTakenOverByOneCallerAndAReleasedOneAtOnce() {
        deliveries.claim("acct", "ada", "mail-1", "email:1", NOW, LEASE);
        assertEquals(new Deliveries.Claim.HeldUntil(NOW.plus(LEASE)),
                deliveries.claim("acct", "ada", "mail-1", "email:1", NOW.plusSeconds(29), LEASE));

        Instant later = NOW.plus(LEASE).plusSeconds(1);
        assertInstanceOf(Deliveries.Claim.Won.class, deliveries.claim("acct", "ada", "mail-1", "email:1", later, LEASE));
        assertEquals(new Deliveries.Claim.HeldUntil(later.plus(LEASE)), deliveries.claim("acct", "ada", "mail-1", "email:1", later, LEASE));

        deliveries.release("acct", "ada", "mail-1");
        assertInstanceOf(Deliveries.Claim.Won.class, deliveries.claim("acct", "ada", "mail-1", "email:1", later, LEASE));
    }

    @Test
    void rowsWrittenBeforeClaimsExistedCountAsDelivered() {
        storage.tables().getTableClient(table).createEntity(new TableEntity("acct|ada", "old-mail").addProperty("EventId", "email:old"));

        assertTrue(deliveries.wasDelivered("acct", "ada", "old-mail"));
        assertInstanceOf(Deliveries.Claim.AlreadyDelivered.class, deliveries.claim("acct", "ada", "old-mail", "email:old", NOW, LEASE));
    }
}
