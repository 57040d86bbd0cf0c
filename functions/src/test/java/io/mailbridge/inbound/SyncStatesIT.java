package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.Stored;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A folder held by one run: requests mark it pending once, and the holder goes once more instead of releasing it. */
@ExtendWith(AzuriteExtension.class)
class SyncStatesIT {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private SyncStates states;

    @BeforeEach
    void setUp(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        states = new SyncStates(storage, TestStorage.newTable(storage, "syncstates"));
    }

    @Test
    void requestsForAHeldFolderMarkItOnceAndTheHolderRunsOnceMore() {
        Stored<SyncState> held = ((SyncStates.Claim.Taken) states.lease("acct", "ada", "inbox", NOW)).state();

        SyncStates.Claim first = states.lease("acct", "ada", "inbox", NOW.plusSeconds(1));
        assertEquals(new SyncStates.Claim.Held(true, NOW.plus(SyncStates.LEASE)), first, "the first request asks for one more round");
        assertEquals(new SyncStates.Claim.Held(false, NOW.plus(SyncStates.LEASE)), states.lease("acct", "ada", "inbox", NOW.plusSeconds(2)),
                "later requests find it asked already");

        // The holder saved a page on the version it read before the mark: the mark survives the write.
        held = states.save(held, held.value().progressed("next-link", 1));
        assertTrue(held.value().pending());
        Optional<Stored<SyncState>> again = states.finish(held, held.value().completed("delta-1", 0, NOW.plusSeconds(3)), NOW.plusSeconds(3));
        assertTrue(again.isPresent(), "the holder goes once more instead of releasing the folder");
        assertEquals("delta-1", again.get().value().link());
        assertFalse(again.get().value().pending());
        assertInstanceOf(SyncStates.Claim.Held.class, states.lease("acct", "ada", "inbox", NOW.plusSeconds(4)));

        // A request during the second round, made after the holder's last read: finishing meets the conflict and goes again.
        Stored<SyncState> second = again.get();
        Optional<Stored<SyncState>> third = states.finish(second, second.value().completed("delta-2", 0, NOW.plusSeconds(5)),
                NOW.plusSeconds(5));
        assertTrue(third.isPresent());
        assertEquals(Optional.empty(), states.finish(third.get(), third.get().value().completed("delta-3", 0, NOW.plusSeconds(6)),
                NOW.plusSeconds(6)), "nobody asked during the third round: the folder is released");

        assertInstanceOf(SyncStates.Claim.Taken.class, states.lease("acct", "ada", "inbox", NOW.plusSeconds(7)));
        assertEquals("delta-3", states.of("acct", "ada").get(0).link());
    }
}
