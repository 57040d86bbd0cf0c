package io.mailbridge.sentsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aJobsEndFreesItsLeaseAndAddsItsCopiesToTheTotal() {
        Instant until = T0.plus(Reconciliations.LEASE);
        Reconciliation leased = Reconciliation.none("acct", "ada").ran(T0, T0, 0, 2, null).leased(until);

        Reconciliation ended = leased.ran(until, T0.plusSeconds(5), 3, 1, null);

        assertNull(ended.leaseUntil());
        assertEquals(T0.plusSeconds(5), ended.lastRunAt());
        assertEquals(3, ended.sentItemsDelivered());
        assertEquals(1, ended.copiesWritten());
        assertEquals(3, ended.copiesWrittenTotal());
        assertFalse(ended.isLeasedAt(T0));
    }

    @Test
    void aJobWhoseLeaseWasTakenOverLeavesTheNewHoldersLeaseAlone() {
        Instant mine = T0.plus(Reconciliations.LEASE);
        Instant theirs = mine.plusSeconds(60);
        Reconciliation takenOver = Reconciliation.none("acct", "ada").leased(theirs);

        Reconciliation ended = takenOver.ran(mine, mine, 0, 0, "Graph answered 503");

        assertEquals(theirs, ended.leaseUntil());
        assertTrue(ended.isLeasedAt(mine));
        assertEquals("Graph answered 503", ended.lastError());
    }
}
