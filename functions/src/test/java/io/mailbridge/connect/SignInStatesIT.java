package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class SignInStatesIT {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private SignInStates states;

    @BeforeEach
    void createTable(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        states = new SignInStates(storage, TestStorage.newTable(storage, "signin"));
    }

    private static SignInState state(String value, Instant expiresAt) {
        return new SignInState(value, "acct-1", "user-1", "ada@contoso.example", SyncMode.ONE_WAY, Profile.FULL,
                "https://crm.example/return", "verifier-abc", "browser-hash", expiresAt);
    }

    @Test
    void aStateCanBeConsumedOnceBeforeItExpires() {
        SignInState saved = state("s1", NOW.plus(Duration.ofMinutes(10)));
        states.save(saved);

        assertEquals(Optional.of(saved), states.consume("s1", NOW.plusSeconds(30)));
        assertEquals(Optional.empty(), states.consume("s1", NOW.plusSeconds(31)), "single use");
    }

    @Test
    void anExpiredStateIsRefusedAndGone() {
        states.save(state("s2", NOW.plus(Duration.ofMinutes(10))));

        assertEquals(Optional.empty(), states.consume("s2", NOW.plus(Duration.ofMinutes(10))));
        assertEquals(Optional.empty(), states.consume("s2", NOW), "an expired state cannot be tried again");
    }

    @Test
    void unknownOrHostileStatesAreSimplyAbsent() {
        assertEquals(Optional.empty(), states.consume("never-issued", NOW));
        assertEquals(Optional.empty(), states.consume("../../x?y#z", NOW));
        assertEquals(Optional.empty(), states.consume("x".repeat(5000), NOW));
        assertEquals(Optional.empty(), states.consume("", NOW));
    }

    @Test
    void ofCallbacksRacingWithTheSameStateExactlyOneGetsIt() throws Exception {
        states.save(state("s3", NOW.plus(Duration.ofMinutes(10))));
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Optional<SignInState>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                Callable<Optional<SignInState>> racer = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return states.consume("s3", NOW);
                };
                results.add(pool.submit(racer));
            }
            int winners = 0;
            for (Future<Optional<SignInState>> result : results) {
                winners += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sweepingDeletesOnlyExpiredStatesWithTheirVerifiers() {
        states.save(state("abandoned", NOW.minusSeconds(1)));
        states.save(state("pending", NOW.plus(Duration.ofMinutes(5))));

        assertEquals(1, states.sweepExpired(NOW));
        assertEquals(0, states.sweepExpired(NOW), "nothing expired is left");

        assertTrue(states.consume("pending", NOW).isPresent(), "a sign-in still under way survives the sweep");
    }

    @Test
    void theVerifierNeverShowsInToString() {
        String text = state("secret-state", NOW).toString();
        assertFalse(text.contains("verifier-abc"));
        assertFalse(text.contains("secret-state"));
        assertTrue(text.contains("acct-1"));
    }
}
