package io.mailbridge.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import io.mailbridge.support.TestSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CrmRequestSignatureTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Hmac HMAC = new Hmac(TestSettings.CRM_SECRET.getBytes(StandardCharsets.UTF_8));
    private final CrmRequestSignature signature = new CrmRequestSignature(HMAC, Clock.fixed(NOW, ZoneOffset.UTC));

    @SuppressWarnings("unchecked")
    private static HttpRequestMessage<Optional<String>> request(HttpMethod method, String uri, String body, Map<String, String> headers) {
        HttpRequestMessage<Optional<String>> request = mock(HttpRequestMessage.class);
        when(request.getHttpMethod()).thenReturn(method);
        when(request.getUri()).thenReturn(URI.create(uri));
        when(request.getBody()).thenReturn(Optional.ofNullable(body));
        when(request.getHeaders()).thenReturn(headers);
        return request;
    }

    private static Map<String, String> signed(long timestamp, String method, String target, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-mailbridge-timestamp", Long.toString(timestamp));
        headers.put("x-mailbridge-signature", "v1=" + HMAC.signHex(timestamp + "." + method + "." + target + "." + body));
        return headers;
    }

    private String reason(HttpRequestMessage<Optional<String>> request) {
        return assertInstanceOf(CrmRequestSignature.Verdict.Refused.class, signature.check(request)).reason();
    }

    @Test
    void acceptsARequestTheCrmSigned() {
        String body = "{\"mode\":\"ONE_WAY\"}";
        var request = request(HttpMethod.PATCH, "https://stamp.example/api/accounts/a%2F1/mailboxes/u1?x=1", body,
                signed(NOW.getEpochSecond() - 100, "PATCH", "/api/accounts/a%2F1/mailboxes/u1?x=1", body));

        var verdict = assertInstanceOf(CrmRequestSignature.Verdict.Signed.class, signature.check(request));
        assertEquals(NOW.minusSeconds(100), verdict.signedAt());
        assertEquals(NOW.minusSeconds(100).plus(CrmRequestSignature.TOLERANCE), verdict.acceptedUntil());
    }

    @Test
    void refusesAnotherMethodPathOrBodyUnderTheSameSignature() {
        Map<String, String> headers = signed(NOW.getEpochSecond(), "GET", "/api/accounts/a/mailboxes/u", "");
        String mismatch = "X-Mailbridge-Signature does not match the request";

        assertEquals(mismatch, reason(request(HttpMethod.DELETE, "https://s/api/accounts/a/mailboxes/u", "", headers)));
        assertEquals(mismatch, reason(request(HttpMethod.GET, "https://s/api/accounts/b/mailboxes/u", "", headers)));
        assertEquals(mismatch, reason(request(HttpMethod.GET, "https://s/api/accounts/a/mailboxes/u", "{}", headers)));
    }

    @Test
    void refusesStaleMissingAndMalformedSignatures() {
        long stale = NOW.getEpochSecond() - 301;
        var staleRequest = request(HttpMethod.GET, "https://s/api/x", "", signed(stale, "GET", "/api/x", ""));

        assertEquals("X-Mailbridge-Timestamp is more than 5 minutes from now", reason(staleRequest));
        assertEquals("X-Mailbridge-Timestamp and X-Mailbridge-Signature are required",
                reason(request(HttpMethod.GET, "https://s/api/x", "", Map.of())));
        assertEquals("X-Mailbridge-Signature must be v1=<64 hex digits>", reason(request(HttpMethod.GET,
                "https://s/api/x", "", Map.of("x-mailbridge-timestamp", "" + NOW.getEpochSecond(), "x-mailbridge-signature", "v1=zz"))));
    }
}
