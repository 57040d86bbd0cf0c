package io.mailbridge.testkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionHttpTest {

    @Test
    void aRequestHasLowerCasedHeaderNamesAndTheQueryDecodedFromItsUri() {
        FunctionHttpRequest<Optional<String>> request = FunctionHttpRequest.of(URI.create("https://app.example/api/x?state=a+b%26c&code=1"),
                HttpMethod.POST, Map.of("Content-Type", "text/plain", "X-Forwarded-For", "1.1.1.1"), Optional.of("body"));

        assertEquals(Map.of("content-type", "text/plain", "x-forwarded-for", "1.1.1.1"), request.getHeaders());
        assertEquals(Map.of("state", "a b&c", "code", "1"), request.getQueryParameters());
        assertEquals(Optional.of("body"), request.getBody());
    }

    @Test
    void aResponseLooksHeadersUpWithoutCaseAndKeepsTheLastValueSet() {
        FunctionHttpRequest<Optional<String>> request = FunctionHttpRequest.of(URI.create("https://app.example/api/x"), HttpMethod.GET,
                Map.of(), Optional.empty());

        FunctionHttpResponse response = (FunctionHttpResponse) request.createResponseBuilder(HttpStatus.ACCEPTED)
                .header("Content-Type", "text/plain").header("content-type", "application/json").body("{\"a\":1}").build();

        assertEquals(202, response.getStatusCode());
        assertEquals("application/json", response.getHeader("CONTENT-TYPE"));
        assertEquals(1, response.headers().size());
        assertEquals(1, response.json().path("a").asInt());
    }

    @Test
    void aResponseBodyReadsAsText() {
        FunctionHttpRequest<Optional<String>> request = FunctionHttpRequest.of(URI.create("https://app.example/api/x"), HttpMethod.GET,
                Map.of(), Optional.empty());

        assertEquals("ü", ((FunctionHttpResponse) request.createResponseBuilder(HttpStatus.OK)
                .body("ü".getBytes(StandardCharsets.UTF_8)).build()).text());
        assertNull(((FunctionHttpResponse) request.createResponseBuilder(HttpStatus.NO_CONTENT).build()).text());
    }
}
