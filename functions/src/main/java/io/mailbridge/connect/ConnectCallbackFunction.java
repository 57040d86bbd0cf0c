package io.mailbridge.connect;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.FormData;
import java.net.URI;
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
        return switch (connect.finish(answer.get("state"), answer.get("code"), answer.get("error"), request.getHeaders())) {
            case ConnectService.Finished.Connected connected -> pages.connected(request, connected);
            case ConnectService.Finished.Failed(URI returnUrl, Refusal explanation) -> pages.notConnected(request, explanation, returnUrl);
            case ConnectService.Finished.NeedsAdminApproval approval -> pages.needsAdminApproval(request, approval);
            case ConnectService.Finished.WrongMailbox wrong -> pages.wrongMailbox(request, wrong);
            case ConnectService.Finished.Refused(Refusal refusal) -> pages.refusal(request, refusal);
        };
    }
}
