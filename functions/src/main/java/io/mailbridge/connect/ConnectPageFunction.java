package io.mailbridge.connect;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
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
        ConnectGate.Admission admission = connect.open(link);
        if (admission instanceof ConnectGate.Admission.Admitted admitted) {
            return pages.choice(request, admitted.request(), admitted.profile(), link, connect.connectionOf(admitted.request()));
        }
        return pages.refusal(request, ((ConnectGate.Admission.Refused) admission).refusal());
    }
}
