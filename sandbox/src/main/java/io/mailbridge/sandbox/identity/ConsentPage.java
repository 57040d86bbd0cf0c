package io.mailbridge.sandbox.identity;

import static io.mailbridge.html.HtmlEscaping.escape;

import io.mailbridge.sandbox.AppRegistration;
import io.mailbridge.sandbox.SandboxTenant;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.http.Html;
import java.util.List;
import java.util.Map;

/**
 * The identity platform's pages: sign-in with consent, errors it cannot redirect, and the
 * form_post hand-back. Plain HTML forms that work without JavaScript, with labelled controls, and
 * every echoed value escaped.
 */
final class ConsentPage {
    private ConsentPage() {
    }

    static String signIn(String actionUrl, String requestId, AppRegistration app, List<SandboxUser> users, List<String> scopes, String loginHint) {
        StringBuilder choices = new StringBuilder();
        boolean anyChecked = false;
        for (int i = 0; i < users.size(); i++) {
            SandboxUser user = users.get(i);
            boolean checked = loginHint != null ? user.owns(loginHint) : i == 0;
            if (checked && anyChecked) {
                checked = false;
            }
            anyChecked |= checked;
            String inputId = "user-" + i;
            choices.append("<label for=\"").append(inputId).append("\"><input type=\"radio\" name=\"user\" id=\"").append(inputId)
                    .append("\" value=\"").append(escape(user.id())).append('"').append(checked ? " checked" : "")
                    .append(" required> ").append(escape(user.displayName())).append(" &lt;").append(escape(user.userPrincipalName()))
                    .append("&gt;</label>\n");
        }
        StringBuilder permissions = new StringBuilder("<ul>\n");
        for (String scope : scopes) {
            permissions.append("<li>").append(escape(scope)).append("</li>\n");
        }
        permissions.append("</ul>\n");
        String body = """
                <h1>Sign in to Microsoft (sandbox)</h1>
                <p class="note">This is the Mailbridge sandbox's stand-in for Microsoft sign-in. No password is asked.</p>
                <form method="post" action="%s">
                <input type="hidden" name="request" value="%s">
                <fieldset>
                <legend>Pick an account</legend>
                %s</fieldset>
                <h2>Permissions requested</h2>
                <p><strong>%s</strong> would like to:</p>
                %s
                <p>Accepting lets this app use the permissions above for the account you picked.</p>
                <button type="submit" name="action" value="accept">Accept</button>
                <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
                </form>
                """.formatted(escape(actionUrl), escape(requestId), choices, escape(app.displayName()), permissions);
        return Html.page("Sign in to your account", body);
    }

    /** Entra's "Need admin approval": the user's tenant lets only admins consent, and none has for these permissions. */
    static String needAdminApproval(String actionUrl, String requestId, AppRegistration app, SandboxTenant tenant, SandboxUser user) {
        String body = """
                <h1>Need admin approval</h1>
                <p>%s</p>
                <p>%s needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
                <p role="alert" id="aadsts">AADSTS90094: An administrator of %s has set a policy that prevents you from granting %s the permissions it is requesting. Contact an administrator of %s, who can grant permissions to this app on your behalf.</p>
                <form method="post" action="%s">
                <input type="hidden" name="request" value="%s">
                <button type="submit" name="action" value="return">Return to the application without granting consent</button>
                </form>
                """.formatted(escape(user.userPrincipalName()), escape(app.displayName()), escape(tenant.displayName()), escape(app.displayName()),
                escape(tenant.displayName()), escape(actionUrl), escape(requestId));
        return Html.page("Need admin approval", body);
    }

    /** The admin consent endpoint's page: pick the admin's account, then accept for the whole organization. */
    static String adminConsent(String actionUrl, String requestId, AppRegistration app, List<SandboxUser> users, List<String> scopes) {
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < users.size(); i++) {
            SandboxUser user = users.get(i);
            String inputId = "user-" + i;
            choices.append("<label for=\"").append(inputId).append("\"><input type=\"radio\" name=\"user\" id=\"").append(inputId)
                    .append("\" value=\"").append(escape(user.id())).append('"').append(i == 0 ? " checked" : "")
                    .append(" required> ").append(escape(user.displayName())).append(" &lt;").append(escape(user.userPrincipalName()))
                    .append("&gt;").append(user.admin() ? " (admin)" : "").append("</label>\n");
        }
        StringBuilder permissions = new StringBuilder("<ul>\n");
        scopes.forEach(scope -> permissions.append("<li>").append(escape(scope)).append("</li>\n"));
        permissions.append("</ul>\n");
        String body = """
                <h1>Permissions requested: accept for your organization</h1>
                <p class="note">This is the Mailbridge sandbox's stand-in for Microsoft's admin consent. No password is asked.</p>
                <form method="post" action="%s">
                <input type="hidden" name="request" value="%s">
                <fieldset>
                <legend>Sign in as an administrator</legend>
                %s</fieldset>
                <p><strong>%s</strong> would like to, for everyone in your organization:</p>
                %s
                <p>If you accept, this app gets access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>
                <button type="submit" name="action" value="accept">Accept</button>
                <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
                </form>
                """.formatted(escape(actionUrl), escape(requestId), choices, escape(app.displayName()), permissions);
        return Html.page("Permissions requested", body);
    }

    static String error(String code, String message) {
        return Html.page("Sign in error", "<h1>Sorry, but we're having trouble signing you in.</h1>\n<p role=\"alert\">"
                + escape(code) + ": " + escape(message) + "</p>\n");
    }

    /** response_mode=form_post: the parameters go back in a POST the person (or a browser test) submits. */
    static String formPost(String redirectUri, Map<String, String> fields) {
        StringBuilder hidden = new StringBuilder();
        fields.forEach((name, value) -> hidden.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">\n"));
        String body = """
                <h1>Returning to the app</h1>
                <form method="post" action="%s">
                %s<button type="submit">Continue</button>
                </form>
                """.formatted(escape(redirectUri), hidden);
        return Html.page("Working...", body);
    }
}
