package io.mailbridge.accounts;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.JsonBodies;
import io.mailbridge.http.Problems;
import io.mailbridge.http.Responses;
import java.util.Map;
import java.util.Optional;

/**
 * PUT /api/ops/accounts/{accountId}/other-mailboxes {@code {"allowed": true}}: support lets an
 * account's users connect a mailbox that is not their CRM email's (master key only, audited).
 * Off by default, so a sign-in with the wrong Microsoft account never connects.
 */
public final class OtherMailboxesFunction {
    private final AccountProfiles profiles;

    public OtherMailboxesFunction(AccountProfiles profiles) {
        this.profiles = profiles;
    }

    @FunctionName("accountOtherMailboxes")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/accounts/{accountId}/other-mailboxes") HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId) {
        try {
            boolean allowed = JsonBodies.booleanField(JsonBodies.object(request.getBody()), "allowed");
            profiles.allowOtherMailboxes(accountId, allowed);
            return Responses.json(request, HttpStatus.OK, Map.of("accountId", accountId, "otherMailboxesAllowed", allowed));
        } catch (BadRequestException e) {
            return Problems.of(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.field());
        }
    }
}
