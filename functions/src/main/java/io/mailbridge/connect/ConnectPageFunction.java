package io.mailbridge.connect;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.mailbox.Profile;
import java.util.Optional;

/** GET /api/connect?request=&lt;signed link&gt;: where the CRM sends a user to connect a mailbox. */
public final class ConnectPageFunction {
    private final ConnectService connect;
    private final ConnectPages pages;

    public ConnectPageFunction(ConnectService connect, ConnectPages pages) {
        this.connect = connect;
        this.pages = pages;
    }

    @FunctionName("connectPage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "connect") HttpRequestMessage<Optional<String>> request) {
        String link = request.getQueryParameters().get("request");
        return switch (connect.open(link)) {
            case ConnectGate.Admission.Admitted(ConnectRequest connectRequest, Profile profile) ->
                    pages.choice(request, connectRequest, profile, link, connect.connectionOf(connectRequest));
            case ConnectGate.Admission.Refused(Refusal refusal) -> pages.refusal(request, refusal);
        };
    }
}
