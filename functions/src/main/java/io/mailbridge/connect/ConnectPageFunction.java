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

    public ConnectPageFunction(ConnectService connect) {
        this.connect = connect;
    }

    @FunctionName("connectPage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "connect") HttpRequestMessage<Optional<String>> request) {
        String link = request.getQueryParameters().get("request");
        ConnectGate.Admission admission = connect.open(link);
        if (admission instanceof ConnectGate.Admission.Admitted admitted) {
            return ConnectPages.choice(request, admitted.request(), admitted.profile(), link, connect.connectionOf(admitted.request()));
        }
        return ConnectPages.refusal(request, ((ConnectGate.Admission.Refused) admission).refusal());
    }
}
