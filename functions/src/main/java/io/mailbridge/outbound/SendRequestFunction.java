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
import io.mailbridge.mailbox.ConnectionState;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * POST /api/accounts/{accountId}/mailboxes/{userId}/sends: the CRM asks to send a mail. 202 with the
 * send's status URL; the same idempotency key again answers 200 with that send, never a second one.
 */
public final class SendRequestFunction {
    private final CrmApi api;
    private final SendRequests sends;

    public SendRequestFunction(CrmApi api, SendRequests sends) {
        this.api = api;
        this.sends = sends;
    }

    /** The answer's body: where to follow the send, and how it stands. */
    record Receipt(String statusUrl, SendStatus send) {}

    @FunctionName("sendRequest")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION,
                    route = OutboundRoutes.SENDS) HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId, @BindingName("userId") String userId) {
        return api.handle(request, () -> {
            return switch (sends.request(accountId, userId, MailJson.requestBody(request.getBody()))) {
                case SendRequests.Outcome.Accepted(SendStatus send) -> receipt(request, HttpStatus.ACCEPTED, send);
                case SendRequests.Outcome.Repeated(SendStatus send) -> receipt(request, HttpStatus.OK, send);
                case SendRequests.Outcome.KeyReused(String sendId) -> Problems.of(request, HttpStatus.CONFLICT, "Idempotency key reused",
                        "This idempotencyKey was used for a different mail (send " + sendId + "); a new mail needs a new key",
                        "idempotencyKey");
                case SendRequests.Outcome.MailboxNotActive(ConnectionState state) -> Problems.of(request, HttpStatus.CONFLICT,
                        "Mailbox cannot send", "The mailbox connection is " + state + "; the user must connect it again");
                case SendRequests.Outcome.NoMailbox none -> CrmApi.mailboxNotFound(request, accountId, userId);
            };
        });
    }

    private static HttpResponseMessage receipt(HttpRequestMessage<Optional<String>> request, HttpStatus status, SendStatus send) {
        // The send below the URL that was called, without its query (the caller's function key may be there).
        String statusUrl = HttpUrl.get(request.getUri().toString()).newBuilder().query(null).fragment(null)
                .addPathSegment(send.sendId()).build().toString();
        return Responses.json(request, status, new Receipt(statusUrl, send));
    }
}
