package io.mailbridge.webhook;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.http.Problems;

/** How the webhook and lifecycle endpoints answer Graph. */
final class NotificationResponses {
    private NotificationResponses() {}

    static HttpResponseMessage of(HttpRequestMessage<?> request, NotificationIntake.Outcome outcome) {
        return switch (outcome) {
            // Graph expects the decoded token back, as plain text, within 10 seconds; nosniff keeps a browser
            // from reading the echoed text as HTML or script.
            case NotificationIntake.Outcome.Validation(String token) -> request.createResponseBuilder(HttpStatus.OK)
                    .header("Content-Type", "text/plain; charset=utf-8").header("X-Content-Type-Options", "nosniff").body(token).build();
            case NotificationIntake.Outcome.Malformed(int status, String reason) ->
                    Problems.of(request, HttpStatus.valueOf(status), "Not a Graph notification", reason);
            case NotificationIntake.Outcome.Unavailable unavailable ->
                    Problems.of(request, HttpStatus.SERVICE_UNAVAILABLE, "Try again", "The notifications could not be queued");
            // Unknown subscriptions (e.g. one deleted while Graph still had it) also get 202: answering Graph
            // with errors would count against the endpoint's health and delay genuine notifications.
            case NotificationIntake.Outcome.Accepted accepted -> request.createResponseBuilder(HttpStatus.ACCEPTED).build();
        };
    }
}
