package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.JsonBodies;
import io.mailbridge.http.Responses;
import java.util.Optional;

/** POST /api/accounts/{accountId}/prospects: the CRM adds and removes its prospects' addresses. */
public final class ProspectsFunction {
    private final CrmApi api;
    private final ProspectUpdates updates;

    public ProspectsFunction(CrmApi api, ProspectUpdates updates) {
        this.api = api;
        this.updates = updates;
    }

    @FunctionName("prospects")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "accounts/{accountId}/prospects") HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId) {
        return api.handle(request, () -> Responses.json(request, HttpStatus.OK,
                updates.apply(accountId, JsonBodies.object(request.getBody()))));
    }
}
