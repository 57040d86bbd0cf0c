package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.GatedFunction;
import io.mailbridge.devhost.runtime.HostStartupException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host.json extensions.http maxConcurrentRequests and maxOutstandingRequests, over loopback: with 1 and 2, one
 * request runs, one waits for its turn, and one more is answered 429 at once without the function running for it.
 */
class HttpRequestLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final GatedFunction.Gate gate = new GatedFunction.Gate();
    private static final HttpClient client = HttpClient.newHttpClient();
    private static DevHost host;

    @BeforeAll
    static void startHost(@TempDir Path dir) throws Exception {
        Path hostJson = Files.writeString(dir.resolve("host.json"),
                "{\"version\":\"2.0\",\"extensions\":{\"http\":{\"maxConcurrentRequests\":1,\"maxOutstandingRequests\":2}}}");
        host = DevHost.builder()
                .functionClasses(List.of(GatedFunction.class))
                .injector(new FixtureInjector().with(GatedFunction.class, () -> new GatedFunction(gate)))
                .hostJson(hostJson)
                .start();
    }

    @AfterAll
    static void stopHost() {
        // Whatever a failed test left waiting finishes, so the host can stop.
        gate.letFinish(100);
        host.close();
    }

    private static CompletableFuture<HttpResponse<String>> get(String n) {
        return client.sendAsync(HttpRequest.newBuilder(host.baseUri().resolve("/api/gated/" + n)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneRunsOneWaitsForItsTurnAndOneMoreIsTurnedAwayAtOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> first = get("1");
        gate.events().awaitAtLeast(1, WAIT);
        CompletableFuture<HttpResponse<String>> second = get("2");
        CompletableFuture<HttpResponse<String>> third = get("3");

        // Which of the two the host took first is theirs to race; the other is over the limit and answered while the first still runs.
        CompletableFuture.anyOf(second, third).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(second.isDone() ^ third.isDone(), "exactly one of the two is answered while the first runs");
        CompletableFuture<HttpResponse<String>> turnedAway = second.isDone() ? second : third;
        CompletableFuture<HttpResponse<String>> waiting = second.isDone() ? third : second;
        String turnedAwayN = turnedAway == second ? "2" : "3";
        String waitingN = turnedAway == second ? "3" : "2";
        HttpResponse<String> tooBusy = turnedAway.get();
        assertEquals(429, tooBusy.statusCode());
        assertTrue(tooBusy.body().contains("maxOutstandingRequests"), tooBusy.body());
        assertEquals(List.of("enter 1"), gate.events().all(), "the function ran for neither the waiting request nor the refused one");
        assertFalse(first.isDone());
        assertFalse(waiting.isDone());

        gate.letFinish(1);
        assertEquals(200, first.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
        assertEquals(List.of("enter 1", "exit 1", "enter " + waitingN), gate.events().awaitAtLeast(3, WAIT),
                "the waiting request runs once the first has finished");
        gate.letFinish(1);
        HttpResponse<String> waited = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, waited.statusCode());
        assertEquals(waitingN, waited.body());

        // With room again, requests are served. One after the other: the host lets go of a request just after its
        // answer, so a request sent at once on another's answer may still find that one outstanding.
        for (String n : List.of("4", "5")) {
            gate.letFinish(1);
            assertEquals(200, get(n).get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
        }
        assertFalse(gate.events().all().contains("enter " + turnedAwayN), "the refused request never reached the function");
        assertEquals(1, gate.mostRunning(), "never more than maxConcurrentRequests at once");
    }

    @Test
    void aLimitThatIsNeitherPositiveNorMinusOneStopsTheHostFromStarting() {
        DevHost.Builder builder = DevHost.builder().functionClasses(List.of(GatedFunction.class)).injector(new FixtureInjector())
                .settings(Map.of("AzureFunctionsJobHost__extensions__http__maxOutstandingRequests", "0"));

        HostStartupException error = assertThrows(HostStartupException.class, builder::start);

        assertTrue(error.getMessage().contains("host.json extensions.http.maxOutstandingRequests must be a whole number from 1 up, or -1"),
                error.getMessage());
    }
}
