package io.mailbridge.health;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Responses;
import java.util.Optional;

/** GET /api/health: 200 when storage is reachable and complete, 503 with the reason otherwise. */
public final class HealthFunction {
    private final HealthCheck health;

    public HealthFunction(HealthCheck health) {
        this.health = health;
    }

    @FunctionName("health")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "health") HttpRequestMessage<Optional<String>> request) {
        HealthReport report = health.check();
        return Responses.json(request, report.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, report);
    }
}
