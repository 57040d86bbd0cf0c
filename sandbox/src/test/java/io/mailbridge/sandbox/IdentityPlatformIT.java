package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity platform through the real MSAL4J, and its sign-in page through plain form posts. */
class IdentityPlatformIT {
    private static final String CONTOSO = SandboxDirectory.CONTOSO_TENANT_ID;
    private Sandbox sandbox;
    private SandboxClients clients;
    private SandboxUser adele;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxConfig.defaults());
        clients = new SandboxClients(sandbox);
        adele = sandbox.user("adele.vance@contoso.example");
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void msalRedeemsAPkceCodeAndReadsTheAccount() {
        IAuthenticationResult result = clients.signInAndRedeem(clients.msal(CONTOSO), adele, SandboxClients.FULL_SCOPES);

        assertEquals("adele.vance@contoso.example", result.account().username());
        assertEquals(adele.id(), result.account().homeAccountId().split("\\.")[0]);
        JsonNode claims = claims(result.accessToken());
        assertEquals(Set.of("User.Read", "Mail.ReadWrite", "Mail.Send"), Set.of(claims.path("scp").asText().split(" ")));
        assertEquals(adele.id(), claims.path("oid").asText());
        assertEquals(CONTOSO, claims.path("tid").asText());
        assertEquals("adele.vance@contoso.example", claims.path("preferred_username").asText());
        assertEquals(sandbox.app().clientId(), claims(result.idToken()).path("aud").asText());
    }

    @Test
    void silentAcquisitionRefreshesWithARotatedRefreshToken() throws Exception {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        IAuthenticationResult first = clients.signInAndRedeem(app, adele, SandboxClients.FULL_SCOPES);
        IAccount account = app.getAccounts().join().iterator().next();
        long issued = sandbox.identity().userTokensIssued(adele.id());

        IAuthenticationResult refreshed = app.acquireTokenSilently(SilentParameters.builder(Set.of("Mail.ReadWrite"), account).forceRefresh(true).build()).join();
        app.acquireTokenSilently(SilentParameters.builder(Set.of("Mail.ReadWrite"), account).build()).join();
        assertEquals(issued + 1, sandbox.identity().userTokensIssued(adele.id()), "the refresh is counted, the cached token reused is not");

        assertNotEquals(first.accessToken(), refreshed.accessToken());
        assertTrue(app.tokenCache().serialize().contains("RefreshToken"));
        assertEquals(2, sandbox.identity().activeRefreshTokens(adele.id()), "rotation issued a new refresh token, the old one stays valid as in Entra");
    }

    @Test
    void aCodeIsRedeemedOnceOnly() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        SandboxClients.Pkce pkce = SandboxClients.Pkce.create();
        String code = codeFor(app, pkce);
        app.acquireToken(parameters(code, pkce.verifier())).join();

        MsalServiceException second = serviceError(() -> clients.msal(CONTOSO).acquireToken(parameters(code, pkce.verifier())).join());

        assertEquals("invalid_grant", second.errorCode());
        assertTrue(second.getMessage().startsWith("AADSTS54005"), second.getMessage());
    }

    @Test
    void anExpiredCodeIsRefused() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        SandboxClients.Pkce pkce = SandboxClients.Pkce.create();
        String code = codeFor(app, pkce);
        sandbox.clock().advance(Duration.ofMinutes(11));

        MsalServiceException error = serviceError(() -> app.acquireToken(parameters(code, pkce.verifier())).join());

        assertEquals("invalid_grant", error.errorCode());
        assertTrue(error.getMessage().startsWith("AADSTS70008"), error.getMessage());
    }

    @Test
    void aWrongPkceVerifierIsRefused() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        String code = codeFor(app, SandboxClients.Pkce.create());

        MsalServiceException error = serviceError(() -> app.acquireToken(parameters(code, SandboxClients.Pkce.create().verifier())).join());

        assertTrue(error.getMessage().startsWith("AADSTS501481"), error.getMessage());
    }

    @Test
    void aWrongClientSecretIsInvalidClient() {
        ConfidentialClientApplication wrong = clients.msal(CONTOSO, "not-the-secret");
        SandboxClients.Pkce pkce = SandboxClients.Pkce.create();
        String code = codeFor(wrong, pkce);

        MsalServiceException error = serviceError(() -> wrong.acquireToken(parameters(code, pkce.verifier())).join());

        assertEquals("invalid_client", error.errorCode());
        assertEquals(401, error.statusCode());
        assertTrue(error.getMessage().startsWith("AADSTS7000215"), error.getMessage());
    }

    @Test
    void revokedRefreshTokensAnswerAadsts50173() throws Exception {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        clients.signInAndRedeem(app, adele, SandboxClients.FULL_SCOPES);
        sandbox.identity().revokeRefreshTokens(adele.id());

        MsalServiceException error = serviceError(() -> refresh(app));

        assertInstanceOf(MsalInteractionRequiredException.class, error);
        assertEquals("invalid_grant", error.errorCode());
        assertTrue(error.getMessage().startsWith("AADSTS50173"), error.getMessage());
    }

    @Test
    void expiredRefreshTokensAnswerAadsts700082() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        clients.signInAndRedeem(app, adele, SandboxClients.FULL_SCOPES);
        sandbox.clock().advance(Duration.ofDays(91));

        MsalServiceException error = serviceError(() -> refresh(app));

        assertEquals("invalid_grant", error.errorCode());
        assertTrue(error.getMessage().startsWith("AADSTS700082"), error.getMessage());
    }

    @Test
    void askingForScopesBeyondTheConsentIsConsentRequired() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        clients.signInAndRedeem(app, adele, Set.of("User.Read", "Mail.Read"));

        MsalServiceException error = serviceError(() -> {
            IAccount account = app.getAccounts().join().iterator().next();
            return app.acquireTokenSilently(SilentParameters.builder(Set.of("Mail.Send"), account).forceRefresh(true).build()).join();
        });

        assertTrue(error.getMessage().startsWith("AADSTS65001"), error.getMessage());
    }

    @Test
    void clientCredentialsGiveAnAppOnlyToken() {
        IAuthenticationResult result = clients.msal(CONTOSO)
                .acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).join();

        JsonNode claims = claims(result.accessToken());
        assertEquals("app", claims.path("idtyp").asText());
        assertTrue(claims.path("roles").toString().contains("Mail.ReadWrite"));
    }

    @Test
    void cancelRedirectsWithAccessDeniedAndTheState() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        String url = clients.authorizeUrl(app, SandboxClients.FULL_SCOPES, "xyz", SandboxClients.Pkce.create(), ResponseMode.QUERY);

        HttpResponse<String> answer = clients.signIn(url, adele, "cancel");

        Map<String, String> query = SandboxClients.handedBack(answer);
        assertEquals("access_denied", query.get("error"));
        assertEquals("xyz", query.get("state"));
    }

    @Test
    void formPostHandsTheCodeBackInAFormThatWorksWithoutJavaScript() {
        ConfidentialClientApplication app = clients.msal(CONTOSO);
        String url = clients.authorizeUrl(app, SandboxClients.FULL_SCOPES, "s\"<b>", SandboxClients.Pkce.create(), ResponseMode.FORM_POST);

        HttpResponse<String> answer = clients.signIn(url, adele, "accept");

        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("action=\"" + SandboxClients.REDIRECT_URI + "\""));
        assertTrue(answer.body().contains("name=\"code\""));
        assertTrue(answer.body().contains("value=\"s&quot;&lt;b&gt;\""), "the state is echoed escaped");
        assertFalse(answer.body().contains("<script"));
    }

    @Test
    void theSignInPageEscapesWhatItEchoesAndLabelsItsControls() {
        String url = sandbox.authority(CONTOSO) + "oauth2/v2.0/authorize?client_id=" + sandbox.app().clientId()
                + "&response_type=code&redirect_uri=" + SandboxClients.REDIRECT_URI + "&scope=User.Read%20%3Cscript%3Ealert(1)%3C/script%3E&login_hint=alex.wilber@contoso.example";

        String page = clients.get(url).body();

        assertFalse(page.contains("<script>alert(1)"));
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(page.contains("<label for=\"user-1\"><input type=\"radio\" name=\"user\" id=\"user-1\" value=\"" + sandbox.user("alex.wilber@contoso.example").id() + "\" checked"));
    }

    @Test
    void openIdMetadataAndKeysArePublished() throws Exception {
        JsonNode metadata = new ObjectMapper().readTree(clients.get(sandbox.authority(CONTOSO) + "v2.0/.well-known/openid-configuration").body());
        JsonNode keys = new ObjectMapper().readTree(clients.get(metadata.path("jwks_uri").asText()).body());

        assertEquals(sandbox.authority(CONTOSO) + "oauth2/v2.0/token", metadata.path("token_endpoint").asText());
        JsonNode key = keys.path("keys").get(0);
        assertEquals("RSA", key.path("kty").asText());
        assertEquals(key.path("kid").asText(), key.path("x5t").asText(), "Entra's kid is the certificate thumbprint");
        assertEquals(metadata.path("issuer").asText(), key.path("issuer").asText());
        assertNotNull(key.path("n").asText(null));
    }

    private String codeFor(ConfidentialClientApplication app, SandboxClients.Pkce pkce) {
        HttpResponse<String> redirect = clients.signIn(clients.authorizeUrl(app, SandboxClients.FULL_SCOPES, "s", pkce, ResponseMode.QUERY), adele, "accept");
        return SandboxClients.handedBack(redirect).get("code");
    }

    private static AuthorizationCodeParameters parameters(String code, String verifier) {
        return AuthorizationCodeParameters.builder(code, URI.create(SandboxClients.REDIRECT_URI)).scopes(SandboxClients.FULL_SCOPES)
                .codeVerifier(verifier).build();
    }

    private static IAuthenticationResult refresh(ConfidentialClientApplication app) throws Exception {
        IAccount account = app.getAccounts().join().iterator().next();
        return app.acquireTokenSilently(SilentParameters.builder(Set.of("Mail.ReadWrite"), account).forceRefresh(true).build()).join();
    }

    private static MsalServiceException serviceError(java.util.concurrent.Callable<?> call) {
        CompletionException thrown = assertThrows(CompletionException.class, call::call);
        return assertInstanceOf(MsalServiceException.class, thrown.getCause());
    }

    static JsonNode claims(String jwt) {
        try {
            return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
