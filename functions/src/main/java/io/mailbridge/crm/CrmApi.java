package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.Problems;
import java.util.Optional;
import java.util.function.Supplier;

/** The frame of every CRM API call: the CRM's signature first, then the call, bad input as a 400 problem. */
public final class CrmApi {
    private final CrmRequestSignature signature;

    public CrmApi(CrmRequestSignature signature) {
        this.signature = signature;
    }

    public HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, Supplier<HttpResponseMessage> call) {
        Optional<String> problem = signature.problemWith(request);
        if (problem.isPresent()) {
            return Problems.of(request, HttpStatus.UNAUTHORIZED, "Not signed by the CRM", problem.get());
        }
        try {
            return call.get();
        } catch (BadRequestException e) {
            return Problems.of(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.field());
        }
    }

    public static HttpResponseMessage mailboxNotFound(HttpRequestMessage<?> request, String accountId, String userId) {
        return Problems.of(request, HttpStatus.NOT_FOUND, "No such mailbox",
                "The CRM account " + accountId + " has no mailbox connection for user " + userId);
    }
}
