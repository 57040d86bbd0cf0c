package io.mailbridge.outbound;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.crm.CrmApi;
import io.mailbridge.http.Problems;
import io.mailbridge.http.Responses;
import java.util.Optional;

/** GET /api/accounts/{accountId}/mailboxes/{userId}/sends/{sendId}: how a send stands (the status URL of a send request). */
public final class SendStatusFunction {
    private final CrmApi api;
    private final SendRequests sends;

    public SendStatusFunction(CrmApi api, SendRequests sends) {
        this.api = api;
        this.sends = sends;
    }

    @FunctionName("sendStatus")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = OutboundRoutes.SEND) HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId, @BindingName("userId") String userId, @BindingName("sendId") String sendId) {
        return api.handle(request, () -> sends.status(accountId, userId, sendId)
                .map(status -> Responses.json(request, HttpStatus.OK, status))
                .orElseGet(() -> Problems.of(request, HttpStatus.NOT_FOUND, "No such send",
                        "The mailbox of user " + userId + " in CRM account " + accountId + " has no send " + sendId)));
    }
}
