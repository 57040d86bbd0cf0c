package io.mailbridge.inbound;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.http.Problems;

/** How the webhook and lifecycle endpoints answer Graph. */
final class NotificationResponses {
    private NotificationResponses() {}

    static HttpResponseMessage of(HttpRequestMessage<?> request, NotificationIntake.Outcome outcome) {
        if (outcome instanceof NotificationIntake.Outcome.Validation validation) {
            // Graph expects the decoded token back, as plain text, within 10 seconds; nosniff keeps a browser
            // from reading the echoed text as HTML or script.
            return request.createResponseBuilder(HttpStatus.OK).header("Content-Type", "text/plain; charset=utf-8")
                    .header("X-Content-Type-Options", "nosniff").body(validation.token()).build();
        }
        if (outcome instanceof NotificationIntake.Outcome.Malformed malformed) {
            return Problems.of(request, HttpStatus.valueOf(malformed.status()), "Not a Graph notification", malformed.reason());
        }
        if (outcome instanceof NotificationIntake.Outcome.Unavailable) {
            return Problems.of(request, HttpStatus.SERVICE_UNAVAILABLE, "Try again", "The notifications could not be queued");
        }
        // Unknown subscriptions (e.g. one deleted while Graph still had it) also get 202: answering Graph
        // with errors would count against the endpoint's health and delay genuine notifications.
        return request.createResponseBuilder(HttpStatus.ACCEPTED).build();
    }
}
