package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.HttpFunctions;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.runtime.HostStartupException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: a body over it is refused with 413, declared or counted as it arrives. */
class RequestBodyLimitIT {
    private static final int LIMIT = 1024;
    private static final Invocations<HttpFunctions.Seen> seen = new Invocations<>();
    private static final HttpClient client = HttpClient.newHttpClient();
    private static DevHost host;

    @BeforeAll
    static void startHost() {
        FixtureInjector injector = new FixtureInjector();
        injector.with(HttpFunctions.class, () -> new HttpFunctions(seen, new CountDownLatch(0), new CountDownLatch(0)));
        host = DevHost.builder()
                .functionClasses(List.of(HttpFunctions.class))
                .injector(injector)
                .settings(Map.of("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", Integer.toString(LIMIT)))
                .start();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    private static HttpResponse<byte[]> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(host.baseUri().resolve("/api/bytes")).timeout(Duration.ofSeconds(20)).POST(body).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aBodyOfExactlyTheLimitReachesTheFunction() throws Exception {
        byte[] body = new byte[LIMIT];
        body[LIMIT - 1] = 7;

        HttpResponse<byte[]> response = post(HttpRequest.BodyPublishers.ofByteArray(body));

        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheFunctionRuns() throws Exception {
        int before = seen.all().size();

        HttpResponse<byte[]> response = post(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1]));

        assertEquals(413, response.statusCode());
        assertEquals(before, seen.all().size(), "the function never ran");
    }

    @Test
    void aChunkedBodyIsCountedAsItArrivesAndRefusedPastTheLimit() throws Exception {
        // ofInputStream has no length, so the client sends the body chunked, without Content-Length.
        HttpResponse<byte[]> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[4 * LIMIT])));

        assertEquals(413, response.statusCode());
        assertTrue(new String(response.body()).contains("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"));
    }

    @Test
    void aMalformedLimitStopsTheHostFromStarting() {
        DevHost.Builder builder = DevHost.builder().functionClasses(List.of(HttpFunctions.class)).injector(new FixtureInjector())
                .settings(Map.of("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", "100MB"));

        HostStartupException error = assertThrows(HostStartupException.class, builder::start);

        assertTrue(error.getMessage().contains("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT must be a positive number of bytes"), error.getMessage());
    }
}
