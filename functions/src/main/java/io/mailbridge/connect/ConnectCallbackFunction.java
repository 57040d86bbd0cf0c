package io.mailbridge.connect;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.FormData;
import java.util.Map;
import java.util.Optional;

/**
 * /api/connect/callback: Microsoft's return after sign-in, with a code or an error. MSAL4J asks for
 * response_mode=form_post, so the answer usually arrives as a POSTed form; GET is kept for query mode.
 */
public final class ConnectCallbackFunction {
    private final ConnectService connect;

    public ConnectCallbackFunction(ConnectService connect) {
        this.connect = connect;
    }

    @FunctionName("connectCallback")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ConnectService.CALLBACK_ROUTE) HttpRequestMessage<Optional<String>> request) {
        Map<String, String> answer = request.getHttpMethod() == HttpMethod.POST
                ? FormData.parse(request.getBody().orElse("")) : request.getQueryParameters();
        ConnectService.Finished finished = connect.finish(answer.get("state"), answer.get("code"), answer.get("error"),
                request.getHeaders());
        if (finished instanceof ConnectService.Finished.Connected connected) {
            return ConnectPages.connected(request, connected);
        }
        if (finished instanceof ConnectService.Finished.Failed failed) {
            return ConnectPages.notConnected(request, failed.explanation(), failed.returnUrl());
        }
        if (finished instanceof ConnectService.Finished.NeedsAdminApproval approval) {
            return ConnectPages.needsAdminApproval(request, approval);
        }
        if (finished instanceof ConnectService.Finished.WrongMailbox wrong) {
            return ConnectPages.wrongMailbox(request, wrong);
        }
        return ConnectPages.refusal(request, ((ConnectService.Finished.Refused) finished).refusal());
    }
}
