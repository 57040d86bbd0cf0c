package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.HttpFunctions;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.sandbox.tls.SandboxTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The host serves https as Azure does, with a certificate from the sandbox's CA that clients verify. */
class HttpsHostIT {
    private static final SandboxTls CA = SandboxTls.generate();

    @Test
    void servesHttpsThatVerifiesAgainstTheCaAndTellsFunctionsTheHttpsUrl() throws Exception {
        Invocations<HttpFunctions.Seen> seen = new Invocations<>();
        FixtureInjector injector = new FixtureInjector();
        injector.with(HttpFunctions.class, () -> new HttpFunctions(seen, new CountDownLatch(0), new CountDownLatch(0)));
        try (DevHost host = DevHost.builder().functionClasses(List.of(HttpFunctions.class)).injector(injector)
                .keys(new AccessKeys("master-secret", Map.of("echo", "echo-secret"))).https(CA.issueServerContext()).start()) {
            URI echo = host.baseUri().resolve("api/echo/7?code=echo-secret");
            assertEquals("https", host.baseUri().getScheme());
            assertEquals("localhost", host.baseUri().getHost());

            HttpResponse<String> answer = HttpClient.newBuilder().sslContext(CA.clientContext()).build()
                    .send(HttpRequest.newBuilder(echo).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, answer.statusCode());
            assertEquals(echo, seen.all().get(seen.all().size() - 1).request().getUri());
            HttpClient trustingAnotherCa = HttpClient.newBuilder().sslContext(SandboxTls.generate().clientContext()).build();
            assertThrows(SSLHandshakeException.class,
                    () -> trustingAnotherCa.send(HttpRequest.newBuilder(echo).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
    }
}
