package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.Stored;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * A folder held by one run: requests mark it pending once, and the holder goes once more instead of releasing it.
 * A write whose answer is lost (the SDK retries it, and the retry meets the version the first attempt wrote) still counts.
 */
@ExtendWith(AzuriteExtension.class)
class SyncStatesIT {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private SyncStates states;
    private StorageClients storage;
    private String tableName;

    @BeforeEach
    void setUp(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        tableName = TestStorage.newTable(storage, "syncstates");
        states = new SyncStates(storage, tableName);
    }

    @Test
    void aLeaseAndAFinishWhoseAnswersAreLostStillHoldForTheRun(Azurite azurite) {
        LoseAnswers lose = new LoseAnswers();
        TableServiceClient tables = new TableServiceClientBuilder().connectionString(azurite.connectionString())
                .addPolicy(lose).buildClient();
        SyncStates lossy = new SyncStates(new StorageClients(tables, storage.queues(), storage.blobs()), tableName);
        lose.next.set(true);
        SyncStates.Claim claim = lossy.lease("acct", "ada", "inbox", NOW.plusSeconds(500));
        assertEquals(1, lose.lost.get(), "the lease write landed, its answer was lost and the SDK retried it");
        Stored<SyncState> held = held(claim);
        assertEquals(NOW.plusSeconds(500).plus(SyncStates.LEASE), held.value().leaseUntil());

        lose.next.set(true);
        SyncState completed = held.value().completed("delta-1", 2, NOW.plusMillis(500_123).plusNanos(456_789));
        assertEquals(Optional.empty(), lossy.finish(held, completed, NOW.plusSeconds(501)), "the release landed: no conflict, no round more");
        assertEquals(2, lose.lost.get());
        assertInstanceOf(SyncStates.Claim.Taken.class, states.lease("acct", "ada", "inbox", NOW.plusSeconds(502)), "the folder is free");
    }

    private static Stored<SyncState> held(SyncStates.Claim claim) {
        return assertInstanceOf(SyncStates.Claim.Taken.class, claim).state();
    }

    /** Lets the next table write reach Azurite, then loses its answer, as a connection dropped after the write would. */
    private static final class LoseAnswers implements HttpPipelinePolicy {
        final AtomicBoolean next = new AtomicBoolean();
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy nextPolicy) {
            boolean write = context.getHttpRequest().getHttpMethod() == HttpMethod.PUT;
            return nextPolicy.process().flatMap(response -> {
                if (write && next.compareAndSet(true, false)) {
                    lost.incrementAndGet();
                    response.close();
                    return Mono.error(new IOException("connection reset after the write (test)"));
                }
                return Mono.just(response);
            });
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_RETRY;
        }
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
