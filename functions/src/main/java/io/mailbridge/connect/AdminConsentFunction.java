package io.mailbridge.connect;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** /api/connect/adminconsent: where Microsoft sends an administrator back after the admin consent link. */
public final class AdminConsentFunction {
    private final AdminConsent adminConsent;
    private final ConnectPages pages;

    public AdminConsentFunction(AdminConsent adminConsent, ConnectPages pages) {
        this.adminConsent = adminConsent;
        this.pages = pages;
    }

    @FunctionName("connectAdminConsent")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = AdminConsent.ROUTE) HttpRequestMessage<Optional<String>> request) {
        return pages.adminConsent(request, adminConsent.receive(request.getQueryParameters()));
    }
}
