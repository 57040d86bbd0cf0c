package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ResponseMode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entra's consent rules in a tenant where users may not consent (Northwind): the "Need admin approval"
 * page, the v2 admin consent endpoint and its callback, and exact redirect URIs.
 */
class AdminConsentIT {
    private static final String NORTHWIND = SandboxDirectory.NORTHWIND_TENANT_ID;
    private static final String ADMIN_CONSENT_REDIRECT = "http://localhost:7071/api/connect/adminconsent";
    private static final String SCOPES = "https://graph.microsoft.com/User.Read https://graph.microsoft.com/Mail.ReadWrite https://graph.microsoft.com/Mail.Send";
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    private Sandbox sandbox;
    private SandboxClients clients;
    private SandboxUser pradeep;
    private SandboxUser patti;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxConfig.defaults());
        clients = new SandboxClients(sandbox);
        pradeep = sandbox.user("pradeep.gupta@northwind.example");
        patti = sandbox.user("patti.fernandez@northwind.example");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aUserOfATenantWithoutUserConsentMeetsNeedAdminApprovalAndTheAppHearsNothing() {
        HttpResponse<String> answer = clients.signIn(authorizeUrl(), pradeep, "accept");

        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("Need admin approval"), answer.body());
        assertTrue(answer.body().contains("AADSTS90094: An administrator of Northwind has set a policy that prevents you from granting Mailbridge (sandbox)"));
        assertFalse(answer.body().contains(SandboxClients.REDIRECT_URI), "nothing goes back to the app from this page by itself");
        assertTrue(answer.headers().firstValue("Location").isEmpty());
    }

    @Test
    void returningFromTheApprovalPageAnswersAccessDeniedWithSubcodeCancel() {
        HttpResponse<String> approval = clients.signIn(authorizeUrl(), pradeep, "accept");

        HttpResponse<String> back = press(approval, authorityPath("oauth2/v2.0/authorize"), "return");

        Map<String, String> fields = SandboxClients.handedBack(back);
        assertEquals(302, back.statusCode());
        assertEquals("access_denied", fields.get("error"));
        assertEquals("cancel", fields.get("error_subcode"));
        assertTrue(fields.get("error_description").startsWith("AADSTS65004"));
        assertEquals("s-1", fields.get("state"));
    }

    @Test
    void anAdminGrantsForTheTenantAndThenItsUsersSignInWithoutTheApprovalPage() {
        HttpResponse<String> granted = clients.signIn(adminConsentUrl(NORTHWIND, "st-9"), patti, "accept");

        assertEquals(302, granted.statusCode());
        Map<String, String> fields = SandboxClients.handedBack(granted);
        assertTrue(granted.headers().firstValue("Location").orElseThrow().startsWith(ADMIN_CONSENT_REDIRECT + "?"));
        assertEquals("True", fields.get("admin_consent"));
        assertEquals(NORTHWIND, fields.get("tenant"));
        assertEquals(SCOPES, fields.get("scope"));
        assertEquals("st-9", fields.get("state"));

        IAuthenticationResult result = clients.signInAndRedeem(clients.msal(NORTHWIND), pradeep, SandboxClients.FULL_SCOPES);
        assertEquals("pradeep.gupta@northwind.example", result.account().username());
    }

    @Test
    void organizationsLetsTheAdminOfAnyTenantGrantForTheirOwn() {
        HttpResponse<String> granted = clients.signIn(adminConsentUrl("organizations", "st"), patti, "accept");

        assertEquals(NORTHWIND, SandboxClients.handedBack(granted).get("tenant"));
        assertEquals(302, clients.signIn(authorizeUrl(), pradeep, "accept").statusCode());
    }

    @Test
    void aUserWhoIsNotAnAdminCannotGrantAndGetsTheDocumentedErrorRedirect() {
        HttpResponse<String> refused = clients.signIn(adminConsentUrl(NORTHWIND, "st"), pradeep, "accept");

        Map<String, String> fields = SandboxClients.handedBack(refused);
        assertEquals(302, refused.statusCode());
        assertEquals("True", fields.get("admin_consent"));
        assertEquals("consent_required", fields.get("error"));
        assertTrue(fields.get("error_description").startsWith("AADSTS90093"), fields.get("error_description"));
        assertEquals("st", fields.get("state"));
        assertTrue(clients.signIn(authorizeUrl(), pradeep, "accept").body().contains("Need admin approval"), "nothing was granted");
    }

    @Test
    void anAdminWhoCancelsGrantsNothing() {
        Map<String, String> fields = SandboxClients.handedBack(clients.signIn(adminConsentUrl(NORTHWIND, "st"), patti, "cancel"));

        assertEquals("consent_required", fields.get("error"));
        assertTrue(fields.get("error_description").startsWith("AADSTS65004"));
        assertTrue(clients.signIn(authorizeUrl(), pradeep, "accept").body().contains("Need admin approval"));
    }

    @Test
    void usersOfTenantsThatAllowUserConsentAreNotAskedForApproval() {
        HttpResponse<String> answer = clients.signIn(authorizeUrl(SandboxDirectory.CONTOSO_TENANT_ID, SandboxClients.REDIRECT_URI),
                sandbox.user("megan.bowen@contoso.example"), "accept");

        assertEquals(302, answer.statusCode());
        assertTrue(SandboxClients.handedBack(answer).containsKey("code"));
    }

    @Test
    void redirectUrisMustMatchARegisteredOneExactlyExceptTheHttpLoopbackPort() {
        assertEquals(200, clients.get(authorizeUrl(NORTHWIND, "http://127.0.0.1:5999/api/connect/callback")).statusCode(), "http loopback: any port");
        for (String wrong : new String[] {"http://localhost:7071/api/connect/callback/", "http://localhost:7071/api/other",
                "https://localhost:7071/api/connect/callback", "https://evil.example/api/connect/callback"}) {
            HttpResponse<String> page = clients.get(authorizeUrl(NORTHWIND, wrong));
            assertEquals(400, page.statusCode(), wrong);
            assertTrue(page.body().contains("AADSTS50011"), wrong);
            assertTrue(page.headers().firstValue("Location").isEmpty(), "a mismatched redirect URI is never followed");
        }
        assertTrue(clients.get(adminConsentUrl(NORTHWIND, "st").replace("localhost%3A7071", "evil.example")).body().contains("AADSTS50011"));

        sandbox.registerRedirectUris("https://localhost:7071/api/connect/callback");

        assertEquals(200, clients.get(authorizeUrl(NORTHWIND, "https://localhost:7071/api/connect/callback")).statusCode());
        assertEquals(400, clients.get(authorizeUrl(NORTHWIND, "https://localhost:7072/api/connect/callback")).statusCode(), "https: the port counts");
    }

    private String authorizeUrl() {
        return authorizeUrl(NORTHWIND, SandboxClients.REDIRECT_URI);
    }

    private String authorizeUrl(String tenant, String redirectUri) {
        return sandbox.authority(tenant) + "oauth2/v2.0/authorize?client_id=" + sandbox.app().clientId() + "&response_type=code&response_mode=query"
                + "&redirect_uri=" + encode(redirectUri) + "&scope=" + encode("openid offline_access " + SCOPES) + "&state=s-1";
    }

    private String adminConsentUrl(String tenant, String state) {
        return sandbox.authority(tenant) + "v2.0/adminconsent?client_id=" + sandbox.app().clientId() + "&scope=" + encode(SCOPES)
                + "&redirect_uri=" + encode(ADMIN_CONSENT_REDIRECT) + "&state=" + encode(state);
    }

    private String authorityPath(String path) {
        return sandbox.authority(NORTHWIND) + path;
    }

    private HttpResponse<String> press(HttpResponse<String> page, String actionUrl, String action) {
        Matcher request = REQUEST_FIELD.matcher(page.body());
        assertTrue(request.find(), page.body());
        return clients.postForm(actionUrl, Map.of("request", request.group(1), "action", action));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
