package io.mailbridge.ops;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Responses;
import java.util.Optional;

/** GET /api/ops/status: the stamp's connections, subscriptions, queues, dead letters and timers as JSON (master key only). */
public final class OpsStatusFunction {
    private final OpsStatusReader status;

    public OpsStatusFunction(OpsStatusReader status) {
        this.status = status;
    }

    @FunctionName("opsStatus")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/status") HttpRequestMessage<Optional<String>> request) {
        return Responses.json(request, HttpStatus.OK, status.read());
    }
}
