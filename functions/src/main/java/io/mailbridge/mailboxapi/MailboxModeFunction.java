package io.mailbridge.mailboxapi;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.crm.CrmApi;
import io.mailbridge.http.JsonBodies;
import io.mailbridge.http.Responses;
import io.mailbridge.mailbox.SyncMode;
import java.util.Optional;

/** PATCH /api/accounts/{accountId}/mailboxes/{userId} {"mode": "TWO_WAY" | "ONE_WAY"}: change the sync mode. */
public final class MailboxModeFunction {
    private final CrmApi api;
    private final MailboxService mailboxes;

    public MailboxModeFunction(CrmApi api, MailboxService mailboxes) {
        this.api = api;
        this.mailboxes = mailboxes;
    }

    @FunctionName("mailboxMode")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.PATCH}, authLevel = AuthorizationLevel.FUNCTION,
                    route = MailboxRoutes.MAILBOX) HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId, @BindingName("userId") String userId) {
        return api.handle(request, () -> {
            SyncMode mode = JsonBodies.enumField(JsonBodies.object(request.getBody()), "mode", SyncMode.class);
            return mailboxes.changeMode(accountId, userId, mode)
                    .map(status -> Responses.json(request, HttpStatus.OK, status))
                    .orElseGet(() -> CrmApi.mailboxNotFound(request, accountId, userId));
        });
    }
}
