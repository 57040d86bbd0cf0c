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
 * POST /api/connect/start: the "Sign in with Microsoft" button; sends the user to Microsoft's sign-in.
 * GET (someone opened the address) answers a page saying where to start, not the host's empty 405.
 */
public final class ConnectStartFunction {
    private final ConnectService connect;
    private final ConnectPages pages;

    public ConnectStartFunction(ConnectService connect, ConnectPages pages) {
        this.connect = connect;
        this.pages = pages;
    }

    @FunctionName("connectStart")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "connect/start") HttpRequestMessage<Optional<String>> request) {
        if (request.getHttpMethod() != HttpMethod.POST) {
            return pages.refusal(request, Refusal.startWithoutForm());
        }
        Map<String, String> form = FormData.parse(request.getBody().orElse(""));
        return switch (connect.start(form.get("request"), form.get("mode"), request.getHeaders())) {
            case ConnectService.Started.GoToMicrosoft(URI signInUrl, String setCookie) -> pages.redirect(request, signInUrl, setCookie);
            case ConnectService.Started.Refused(Refusal refusal) -> pages.refusal(request, refusal);
        };
    }
}
