package io.mailbridge.ops;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** GET /api/ops/status/page: the same status as a page for a person (master key only). */
public final class OpsStatusPageFunction {
    private final OpsStatusReader status;
    private final OpsStatusPage page;

    public OpsStatusPageFunction(OpsStatusReader status, OpsStatusPage page) {
        this.status = status;
        this.page = page;
    }

    @FunctionName("opsStatusPage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/status/page") HttpRequestMessage<Optional<String>> request) {
        return page.render(request, status.read());
    }
}
