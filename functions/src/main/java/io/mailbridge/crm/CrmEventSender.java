package io.mailbridge.crm;

import io.mailbridge.Lazy;
import io.mailbridge.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs one event to the CRM, signed: {@code X-Mailbridge-Signature: v1=<hex HMAC-SHA256 of
 * "<timestamp>.<body>">} with {@code X-Mailbridge-Timestamp} (Unix seconds) and the event id.
 */
public final class CrmEventSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** What the CRM made of one delivery. */
    public sealed interface Outcome {
        record Delivered() implements Outcome {}

        /** The CRM could not take it now (network, 5xx, 408, 429): try again later. */
        record TryLater(String reason) implements Outcome {}

        /** The CRM refused it (other 4xx): trying again would be refused again. */
        record Refused(String reason) implements Outcome {}
    }

    private final URI eventsUrl;
    private final Hmac hmac;
    private final Clock clock;
    private final Lazy<HttpClient> http;

    public CrmEventSender(URI eventsUrl, Hmac hmac, Clock clock) {
        this.eventsUrl = eventsUrl;
        this.hmac = hmac;
        this.clock = clock;
        // Built with the first event: the JDK's HTTP client starts its own thread, not a cold start's business.
        this.http = Lazy.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public Outcome send(CrmEvent event) {
        String body = Json.write(event);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(eventsUrl)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Mailbridge-Event-Id", event.id())
                .header("X-Mailbridge-Timestamp", timestamp)
                .header("X-Mailbridge-Signature", "v1=" + hmac.signHex(timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            int status = http.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome.Delivered();
            }
            if (status >= 500 || status == 408 || status == 429) {
                return new Outcome.TryLater("the CRM answered " + status);
            }
            return new Outcome.Refused("the CRM answered " + status);
        } catch (IOException e) {
            return new Outcome.TryLater("the CRM could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.TryLater("interrupted");
        }
    }
}
