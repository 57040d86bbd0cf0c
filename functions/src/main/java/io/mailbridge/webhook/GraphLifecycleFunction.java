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
import java.util.Optional;

/**
 * POST /api/graph/lifecycle: Graph's lifecycle events (reauthorizationRequired,
 * subscriptionRemoved, missed), verified like notifications and queued for the lifecycle processor.
 */
public final class GraphLifecycleFunction {
    private final NotificationIntake intake;

    public GraphLifecycleFunction(NotificationIntake intake) {
        this.intake = intake;
    }

    @FunctionName("graphLifecycle")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = GraphSubscriptions.LIFECYCLE_ROUTE) HttpRequestMessage<Optional<String>> request) {
        NotificationIntake.Post post = new NotificationIntake.Post(Optional.ofNullable(request.getQueryParameters().get("validationToken")),
                Headers.contentLength(request.getHeaders()), request.getBody());
        NotificationIntake.Outcome outcome = intake.receive(post, StorageNames.SUBSCRIPTION_EVENTS_QUEUE, "lifecycleEvent");
        return NotificationResponses.of(request, outcome);
    }
}
