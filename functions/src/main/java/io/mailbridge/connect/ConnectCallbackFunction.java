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
    private final ConnectPages pages;

    public ConnectCallbackFunction(ConnectService connect, ConnectPages pages) {
        this.connect = connect;
        this.pages = pages;
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
            return pages.connected(request, connected);
        }
        if (finished instanceof ConnectService.Finished.Failed failed) {
            return pages.notConnected(request, failed.explanation(), failed.returnUrl());
        }
        if (finished instanceof ConnectService.Finished.NeedsAdminApproval approval) {
            return pages.needsAdminApproval(request, approval);
        }
        if (finished instanceof ConnectService.Finished.WrongMailbox wrong) {
            return pages.wrongMailbox(request, wrong);
        }
        return pages.refusal(request, ((ConnectService.Finished.Refused) finished).refusal());
    }
}
