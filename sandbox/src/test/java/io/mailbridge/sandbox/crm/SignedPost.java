package io.mailbridge.sandbox.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts events to the CRM stand-in the way the app will: a JSON body, the event id, a Unix-seconds
 * timestamp and an HMAC-SHA256 signature, computed here from the scheme itself rather than with the
 * stand-in's code. Headers can be changed or removed to forge requests.
 */
final class SignedPost {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI url;
    private final String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(10);

    private SignedPost(URI url, String secret, String eventId, String body, Instant timestamp) {
        this.url = url;
        this.body = body;
        String seconds = Long.toString(timestamp.getEpochSecond());
        headers.put("X-Mailbridge-Event-Id", eventId);
        headers.put("X-Mailbridge-Timestamp", seconds);
        headers.put("X-Mailbridge-Signature", signature(secret, seconds, body));
    }

    static SignedPost event(CrmStandIn crm, String eventId, String body, Instant timestamp) {
        return new SignedPost(crm.eventsUrl(), crm.signingSecret(), eventId, body, timestamp);
    }

    /** An email.received event for one user, in the shape the app will send. */
    static String emailReceived(String eventId, String accountId, String userId, String subject) {
        ObjectNode event = JSON.createObjectNode()
                .put("id", eventId)
                .put("type", "email.received")
                .put("accountId", accountId)
                .put("userId", userId)
                .put("occurredAt", "2025-05-01T10:15:30Z");
        ObjectNode data = event.putObject("data").put("subject", subject);
        data.putObject("from").putObject("emailAddress").put("name", "Bea Buyer").put("address", "bea@fabrikam.test");
        data.putArray("to").addObject().putObject("emailAddress").put("address", "ann@contoso.test");
        return event.toString();
    }

    static String signature(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    SignedPost header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    SignedPost without(String name) {
        headers.remove(name);
        return this;
    }

    /** Re-signs with another secret, as a forger who does not know the real one would. */
    SignedPost signedWith(String otherSecret) {
        return header("X-Mailbridge-Signature", signature(otherSecret, headers.get("X-Mailbridge-Timestamp"), body));
    }

    SignedPost timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    HttpResponse<String> send() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
