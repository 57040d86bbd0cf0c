package io.mailbridge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
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
class FirstUsesIT {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private FirstUses uses;

    @BeforeEach
    void createTable(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        uses = new FirstUses(storage, TestStorage.newTable(storage, "firstuses"));
    }

    @Test
    void onlyTheFirstClaimOfAKeyWins() {
        assertFalse(uses.isClaimed("link-1"));
        assertTrue(uses.claim("link-1", NOW.plusSeconds(600)));
        assertTrue(uses.isClaimed("link-1"));
        assertFalse(uses.claim("link-1", NOW.plusSeconds(600)));
        assertTrue(uses.claim("link-2", NOW.plusSeconds(600)), "another key is independent");
    }

    @Test
    void ofManyConcurrentClaimsExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                claims.add(() -> uses.claim("raced/key#?", NOW.plusSeconds(600)));
            }
            int winners = 0;
            for (Future<Boolean> claim : pool.invokeAll(claims)) {
                winners += claim.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sweepingForgetsOnlyClaimsWhoseWindowClosed() {
        uses.claim("old", NOW.minusSeconds(1));
        uses.claim("current", NOW.plusSeconds(300));

        assertEquals(1, uses.sweepExpired(NOW));

        assertTrue(uses.claim("old", NOW.plusSeconds(300)), "a swept key can be claimed again");
        assertFalse(uses.claim("current", NOW.plusSeconds(300)), "a live claim survives the sweep");
    }
}
