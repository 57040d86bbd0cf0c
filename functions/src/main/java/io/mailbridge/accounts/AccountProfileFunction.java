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
import io.mailbridge.mailbox.Profile;
import java.util.Map;
import java.util.Optional;

/**
 * PUT /api/ops/accounts/{accountId}/profile: support switches an account between the FULL and
 * RESTRICTED profiles (master key only). It applies to the account's next connections.
 */
public final class AccountProfileFunction {
    private final AccountProfiles profiles;

    public AccountProfileFunction(AccountProfiles profiles) {
        this.profiles = profiles;
    }

    @FunctionName("accountProfile")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ADMIN,
                    route = "ops/accounts/{accountId}/profile") HttpRequestMessage<Optional<String>> request,
            @BindingName("accountId") String accountId) {
        try {
            Profile profile = JsonBodies.enumField(JsonBodies.object(request.getBody()), "profile", Profile.class);
            if (!profiles.set(accountId, profile)) {
                return Problems.of(request, HttpStatus.CONFLICT, "Profile not offered here",
                        "The RESTRICTED profile is not offered in this stamp's region", "profile");
            }
            return Responses.json(request, HttpStatus.OK, Map.of("accountId", accountId, "profile", profile));
        } catch (BadRequestException e) {
            return Problems.of(request, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.field());
        }
    }
}
