package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Responses;
import java.util.Map;
import java.util.Optional;

/** GET /api/ops/dead-letters: the events the CRM never took, with why (master key only). */
public final class DeadLettersFunction {
    private static final int MAX_LISTED = 500;

    private final DeadLetters deadLetters;

    public DeadLettersFunction(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @FunctionName("deadLetters")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/dead-letters") HttpRequestMessage<Optional<String>> request) {
        return Responses.json(request, HttpStatus.OK, Map.of("deadLetters", deadLetters.list(MAX_LISTED).stream()
                .map(letter -> Map.of("eventId", letter.eventId(), "eventType", letter.eventType(), "reason", letter.reason(),
                        "attempts", letter.attempts(), "failedAt", letter.failedAt()))
                .toList()));
    }
}
