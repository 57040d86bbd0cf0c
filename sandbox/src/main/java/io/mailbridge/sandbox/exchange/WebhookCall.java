package io.mailbridge.sandbox.exchange;

import java.time.Duration;
import java.time.Instant;

/**
 * One call the sandbox made to an app's endpoint, as Graph's delivery side sees it: what, where,
 * the status (0 when no answer came: refused, reset or timed out) and how long the answer took.
 */
public record WebhookCall(Kind kind, String url, String subscriptionId, String requestBody, int status, Duration elapsed, Instant at, int attempt) {

    public enum Kind { VALIDATION, NOTIFICATION, LIFECYCLE }

    public boolean acknowledged() {
        return status >= 200 && status < 300;
    }
}
