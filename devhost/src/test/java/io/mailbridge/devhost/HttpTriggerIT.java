package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.HttpFunctions;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.http.AccessKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTriggerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AccessKeys KEYS = new AccessKeys("master-secret",
            Map.of("default", "host-secret", "echo", "echo-secret", "bytes", "bytes-secret"));

    private static final Invocations<HttpFunctions.Seen> seen = new Invocations<>();
    private static final FixtureInjector injector = new FixtureInjector();
    private static final HttpClient client = HttpClient.newHttpClient();
    private static DevHost host;
    private int seenBefore;

    @BeforeAll
    static void startHost() {
        injector.with(HttpFunctions.class, () -> new HttpFunctions(seen, new CountDownLatch(0), new CountDownLatch(0)));
        host = DevHost.builder()
                .functionClasses(List.of(HttpFunctions.class))
                .injector(injector)
                .keys(KEYS)
                .start();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @BeforeEach
    void rememberSeen() {
        seenBefore = seen.all().size();
    }

    @Test
    void routeParametersReachTheFunctionThroughBindingName() throws Exception {
        HttpResponse<String> response = get("/api/echo/42/alice?code=echo-secret");

        assertEquals(200, response.statusCode());
        HttpFunctions.Seen call = lastSeen();
        assertEquals(42, call.bindingData().get("id"));
        assertEquals("alice", call.bindingData().get("name"));
        assertEquals(Optional.empty(), call.body(), "a GET has no body");
    }

    @Test
    void anOptionalParameterMayBeAbsent() throws Exception {
        HttpResponse<String> response = get("/api/echo/7?code=echo-secret");

        assertEquals(200, response.statusCode());
        assertNull(lastSeen().bindingData().get("name"));
    }

    @Test
    void aValueThatBreaksAConstraintMatchesNoRoute() throws Exception {
        assertEquals(404, get("/api/echo/seven?code=echo-secret").statusCode());
        assertEquals(404, get("/api/echo/99999999999?code=echo-secret").statusCode(), "int is 32-bit");
    }

    @Test
    void aCatchAllTakesTheRestOfThePath() throws Exception {
        assertEquals("a/b/c.txt", get("/api/files/a/b/c.txt").body());
        assertEquals("<none>", get("/api/files").body());
        assertEquals("x y/+z", get("/api/files/x%20y/+z").body(), "segments are percent-decoded, '+' stays");
    }

    @Test
    void theMostSpecificRouteWins() throws Exception {
        assertEquals("latest", get("/api/items/latest").body());
        assertEquals("guid 0f8fad5b-d9cb-469f-a165-70867728950e", get("/api/items/0f8fad5b-d9cb-469f-a165-70867728950e").body());
        assertEquals("name widget", get("/api/items/widget").body());
        assertEquals(404, get("/api/items/123").statusCode());
        assertEquals(404, get("/api/items/muchtoolong").statusCode(), "maxlength(8)");
    }

    @Test
    void theRouteDefaultsToTheFunctionNameAndMatchesWithoutRegardToCase() throws Exception {
        assertEquals("by name", get("/api/defaultRoute").body());
        assertEquals("by name", get("/API/DEFAULTROUTE/").body());
    }

    @Test
    void anUndeclaredMethodIsRefusedWithTheAllowedOnes() throws Exception {
        HttpResponse<String> response = get("/api/writes-only");

        assertEquals(405, response.statusCode());
        assertEquals("POST, PUT", response.headers().firstValue("Allow").orElseThrow());
        assertEquals(204, send(HttpRequest.newBuilder(uri("/api/writes-only")).PUT(HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception {
        assertEquals(404, get("/api/nothing-here").statusCode());
        assertEquals(404, get("/elsewhere/defaultRoute").statusCode(), "outside the route prefix");
    }

    @Test
    void aFunctionLevelFunctionNeedsAKey() throws Exception {
        assertEquals(401, get("/api/echo/1").statusCode());
        assertEquals(401, get("/api/echo/1?code=wrong").statusCode());
        assertEquals(401, get("/api/echo/1?code=bytes-secret").statusCode(), "another function's key");
        assertEquals(200, get("/api/echo/1?code=echo-secret").statusCode(), "its own key in the query");
        assertEquals(200, send(HttpRequest.newBuilder(uri("/api/echo/1")).header("x-functions-key", "host-secret").GET()).statusCode(),
                "a host key in the header");
        assertEquals(200, get("/api/echo/1?code=master-secret").statusCode(), "the master key");
        assertEquals(200, get("/api/defaultRoute?code=wrong").statusCode(), "an anonymous function ignores keys");
    }

    @Test
    void anAdminFunctionNeedsTheMasterKey() throws Exception {
        assertEquals(401, get("/api/admin/ping").statusCode());
        assertEquals(401, get("/api/admin/ping?code=host-secret").statusCode());
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/admin/ping")).header("x-functions-key", "master-secret").GET());
        assertEquals(200, response.statusCode());
        assertEquals("pong", response.body());
    }

    @Test
    void headersQueryAndBodyReachTheFunctionIntact() throws Exception {
        String body = "{\"subject\":\"Grüße – 📬\",\"quote\":\"\\\"x\\\"\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/echo/5?code=echo-secret&x=1&x=2&y=a+b%26c&empty="))
                .header("X-Custom-Header", "Some Value")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));

        assertEquals(200, response.statusCode());
        assertEquals(body, response.body());
        HttpFunctions.Seen call = lastSeen();
        assertEquals(Optional.of(body), call.body());
        assertEquals(HttpMethod.POST, call.request().getHttpMethod());
        assertEquals("Some Value", call.request().getHeaders().get("x-custom-header"), "names lower-cased");
        assertEquals("application/json; charset=utf-8", call.request().getHeaders().get("content-type"));
        Map<String, String> query = call.request().getQueryParameters();
        assertEquals("1,2", query.get("x"));
        assertEquals("a b&c", query.get("y"));
        assertEquals("", query.get("empty"));
        assertEquals(uri("/api/echo/5?code=echo-secret&x=1&x=2&y=a+b%26c&empty=").getRawPath(), call.request().getUri().getRawPath());
        assertEquals("code=echo-secret&x=1&x=2&y=a+b%26c&empty=", call.request().getUri().getRawQuery());
    }

    @Test
    void binaryBodiesPassByteForByte() throws Exception {
        byte[] notUtf8 = {(byte) 0xFF, 0x00, (byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1, 0x7F, (byte) 0x80};
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/api/bytes"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(notUtf8)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertArrayEquals(notUtf8, response.body());
        assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(notUtf8, (byte[]) ((Optional<?>) lastSeen().body()).orElseThrow());

        HttpResponse<byte[]> raw = client.send(HttpRequest.newBuilder(uri("/api/raw"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(notUtf8)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(notUtf8, raw.body());
    }

    @Test
    void aStringBodyIsDecodedWithTheDeclaredCharsetAndAnsweredAsUtf8Text() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/text"))
                .header("Content-Type", "text/plain; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray("Café".getBytes(StandardCharsets.ISO_8859_1))));

        assertEquals(201, response.statusCode());
        assertEquals("Café", lastSeen().body());
        assertEquals("Café", response.body());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void anEmptyBodyIsAbsent() throws Exception {
        send(HttpRequest.newBuilder(uri("/api/text")).POST(HttpRequest.BodyPublishers.noBody()));
        assertNull(lastSeen().body(), "HttpRequestMessage<String>");

        send(HttpRequest.newBuilder(uri("/api/bytes")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(Optional.empty(), lastSeen().body(), "HttpRequestMessage<Optional<byte[]>>");
    }

    @Test
    void aFailingFunctionAnswers500WithoutItsExceptionText() throws Exception {
        HttpResponse<String> response = get("/api/boom");

        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("hunter2"), response.body());
        assertFalse(response.body().contains("IllegalStateException"), response.body());
    }

    @Test
    void otherResponseBodiesAreWrittenAsJson() throws Exception {
        HttpResponse<String> response = get("/api/report");

        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertEquals("ok", json.get("status").asText());
        assertEquals(3, json.get("count").asInt());
    }

    @Test
    void eachInvocationGetsAFreshInstanceAndItsOwnContext() throws Exception {
        int before = injector.instancesCreated();
        HttpResponse<String> first = get("/api/echo/1?code=echo-secret");
        HttpResponse<String> second = get("/api/echo/2?code=echo-secret");

        assertEquals(before + 2, injector.instancesCreated());
        String firstId = first.headers().firstValue("X-Invocation").orElseThrow();
        assertNotEquals(firstId, second.headers().firstValue("X-Invocation").orElseThrow());
        HttpFunctions.Seen call = lastSeen();
        assertEquals("echo", call.context().getFunctionName());
        assertEquals("Function.echo", call.context().getLogger().getName());
    }

    @Test
    void closingWaitsForTheRequestsInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FixtureInjector slowInjector = new FixtureInjector()
                .with(HttpFunctions.class, () -> new HttpFunctions(new Invocations<>(), entered, release));
        DevHost slowHost = DevHost.builder().functionClasses(List.of(HttpFunctions.class)).injector(slowInjector).start();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(
                HttpRequest.newBuilder(slowHost.baseUri().resolve("/api/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        Thread closing = new Thread(slowHost::close);
        closing.start();
        closing.join(300);
        assertTrue(closing.isAlive(), "close() returned while a request was in flight");
        release.countDown();
        closing.join(WAIT.toMillis());

        assertFalse(closing.isAlive());
        assertEquals("finally", response.get(WAIT.toSeconds(), TimeUnit.SECONDS).body());
    }

    private HttpFunctions.Seen lastSeen() {
        List<HttpFunctions.Seen> all = seen.all();
        assertTrue(all.size() > seenBefore, "the function saw no request");
        return all.get(all.size() - 1);
    }

    private static URI uri(String pathAndQuery) {
        return host.baseUri().resolve(pathAndQuery);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
