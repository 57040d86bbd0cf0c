package io.mailbridge.webhook;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.http.Headers;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.telemetry.Metrics;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * POST /api/graph/notifications: Graph's change notifications. Anonymous, because Graph cannot
 * send a key; each notification proves itself with its subscription's client state.
 */
public final class GraphWebhookFunction {
    private final NotificationIntake intake;
    private final Metrics metrics;

    public GraphWebhookFunction(NotificationIntake intake, Metrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @FunctionName("graphWebhook")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = GraphSubscriptions.NOTIFICATIONS_ROUTE) HttpRequestMessage<Optional<String>> request) {
        long started = System.nanoTime();
        NotificationIntake.Post post = new NotificationIntake.Post(Optional.ofNullable(request.getQueryParameters().get("validationToken")),
                Headers.contentLength(request.getHeaders()), request.getBody());
        NotificationIntake.Outcome outcome = intake.receive(post, StorageNames.MAIL_CHANGES_QUEUE, "changeType");
        HttpResponseMessage answer = NotificationResponses.of(request, outcome);
        // Graph waits 3 s for the answer: this is the latency that decides whether it keeps the subscription.
        metrics.webhookAnswered(outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT), Duration.ofNanos(System.nanoTime() - started));
        switch (outcome) {
            case NotificationIntake.Outcome.Accepted(int accepted, int rejected) -> metrics.notifications(accepted, rejected);
            case NotificationIntake.Outcome.Validation validation -> { }
            case NotificationIntake.Outcome.Malformed malformed -> { }
            case NotificationIntake.Outcome.Unavailable unavailable -> { }
        }
        return answer;
    }
}
