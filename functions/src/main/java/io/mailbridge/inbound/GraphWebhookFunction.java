package io.mailbridge.inbound;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.http.Headers;
import io.mailbridge.storage.StorageNames;
import java.util.Optional;

/**
 * POST /api/graph/notifications: Graph's change notifications. Anonymous, because Graph cannot
 * send a key; each notification proves itself with its subscription's client state.
 */
public final class GraphWebhookFunction {
    private final NotificationIntake intake;

    public GraphWebhookFunction(NotificationIntake intake) {
        this.intake = intake;
    }

    @FunctionName("graphWebhook")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = GraphSubscriptions.NOTIFICATIONS_ROUTE) HttpRequestMessage<Optional<String>> request) {
        NotificationIntake.Post post = new NotificationIntake.Post(Optional.ofNullable(request.getQueryParameters().get("validationToken")),
                Headers.contentLength(request.getHeaders()), request.getBody());
        NotificationIntake.Outcome outcome = intake.receive(post, StorageNames.MAIL_CHANGES_QUEUE, "changeType");
        return NotificationResponses.of(request, outcome);
    }
}
