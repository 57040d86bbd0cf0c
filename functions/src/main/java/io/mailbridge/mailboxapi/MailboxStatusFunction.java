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
import io.mailbridge.http.Responses;
import java.util.Optional;

/** GET /api/accounts/{accountId}/mailboxes/{userId}: the connection's status for the CRM. */
public final class MailboxStatusFunction {
    private final CrmApi api;
    private final MailboxService mailboxes;

    public MailboxStatusFunction(CrmApi api, MailboxService mailboxes) {
        this.api = api;
        this.mailboxes = mailboxes;
    }

    @FunctionName("mailboxStatus")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = MailboxRoutes.MAILBOX) HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId, @BindingName("userId") String userId) {
        return api.handle(request, () -> mailboxes.status(accountId, userId)
                .map(status -> Responses.json(request, HttpStatus.OK, status))
                .orElseGet(() -> CrmApi.mailboxNotFound(request, accountId, userId)));
    }
}
