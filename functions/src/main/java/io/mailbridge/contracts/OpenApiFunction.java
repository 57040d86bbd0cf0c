package io.mailbridge.contracts;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/**
 * GET /api/contracts/openapi.json: the API's OpenAPI document. Anonymous, like any published API
 * description: it holds no secret, and every route it names still asks for its own key or signature.
 */
public final class OpenApiFunction {
    /** The media type registered for OpenAPI documents in JSON. */
    static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.1";

    private final Contracts contracts;

    public OpenApiFunction(Contracts contracts) {
        this.contracts = contracts;
    }

    @FunctionName("contractsOpenApi")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "contracts/openapi.json") HttpRequestMessage<Optional<String>> request) {
        return ContractResponses.document(request, MEDIA_TYPE, contracts.document(Contracts.OPENAPI).orElseThrow());
    }
}
