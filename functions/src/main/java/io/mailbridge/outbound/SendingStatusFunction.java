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
import io.mailbridge.http.Responses;
import java.util.Optional;

/** GET /api/accounts/{accountId}/mailboxes/{userId}/sending: the mailbox's quota use and whether mail falls back to the relay. */
public final class SendingStatusFunction {
    private final CrmApi api;
    private final SendRequests sends;

    public SendingStatusFunction(CrmApi api, SendRequests sends) {
        this.api = api;
        this.sends = sends;
    }

    @FunctionName("sendingStatus")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = OutboundRoutes.SENDING) HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId, @BindingName("userId") String userId) {
        return api.handle(request, () -> sends.sending(accountId, userId)
                .map(status -> Responses.json(request, HttpStatus.OK, status))
                .orElseGet(() -> CrmApi.mailboxNotFound(request, accountId, userId)));
    }
}
