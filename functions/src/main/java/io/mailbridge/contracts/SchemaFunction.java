package io.mailbridge.contracts;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.Problems;
import java.util.Optional;

/**
 * GET /api/contracts/{folder}/{file}: a JSON Schema of the contract, e.g. events/email.sent_by_crm.schema.json,
 * at the address the OpenAPI document's relative references resolve to. Anonymous, as the document is.
 */
public final class SchemaFunction {
    private final Contracts contracts;

    public SchemaFunction(Contracts contracts) {
        this.contracts = contracts;
    }

    @FunctionName("contractsSchema")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "contracts/{folder}/{file}") HttpRequestMessage<Optional<String>> request,
            @BindingName("folder") String folder, @BindingName("file") String file) {
        return contracts.document(folder + "/" + file)
                .map(schema -> ContractResponses.document(request, "application/schema+json", schema))
                .orElseGet(() -> Problems.of(request, HttpStatus.NOT_FOUND, "No such schema",
                        "The contract has no schema " + folder + "/" + file + "; its OpenAPI document is at contracts/openapi.json"));
    }
}
