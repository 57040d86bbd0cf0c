package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Problems;
import io.mailbridge.http.Responses;
import java.util.Map;
import java.util.Optional;

/** POST /api/ops/dead-letters/{eventId}/replay: sends a dead-lettered event to the CRM again (master key only). */
public final class DeadLetterReplayFunction {
    private final CrmEvents events;

    public DeadLetterReplayFunction(CrmEvents events) {
        this.events = events;
    }

    @FunctionName("deadLetterReplay")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/dead-letters/{eventId}/replay") HttpRequestMessage<Optional<String>> request,
            @BindingName("eventId") String eventId) {
        if (!events.replay(eventId)) {
            return Problems.of(request, HttpStatus.NOT_FOUND, "No such dead letter", "No dead-lettered event has the id " + eventId);
        }
        return Responses.json(request, HttpStatus.ACCEPTED, Map.of("eventId", eventId, "replay", "queued"));
    }
}
