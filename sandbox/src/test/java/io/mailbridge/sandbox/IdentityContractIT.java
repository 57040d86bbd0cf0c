package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ResponseMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's identity platform against Microsoft's documented examples (fixtures under
 * microsoft/entra/): the same keys, with the same JSON value types, where Microsoft publishes an
 * example for the endpoint.
 */
class IdentityContractIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTOSO = SandboxDirectory.CONTOSO_TENANT_ID;

    private Sandbox sandbox;
    private SandboxClients clients;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(SandboxConfig.defaults());
        clients = new SandboxClients(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theDiscoveryDocumentHasEntrasKeysAndTypes() {
        JsonNode ours = json(clients.get(sandbox.authority(CONTOSO) + "v2.0/.well-known/openid-configuration"));

        assertSameShape(fixture("openid-configuration.json"), ours, "discovery");
        assertEquals(sandbox.authority(CONTOSO) + "discovery/v2.0/keys", ours.path("jwks_uri").asText());
    }

    @Test
    void theKeySetHasEntrasKeyShape() {
        JsonNode keys = json(clients.get(sandbox.authority(CONTOSO) + "discovery/v2.0/keys"));
        JsonNode documented = fixture("keys.json");

        assertSameShape(documented, keys, "keys");
        assertSameShape(documented.path("keys").get(0), keys.path("keys").get(0), "keys[0]");
        assertEquals(sandbox.identity().issuer(CONTOSO), keys.path("keys").get(0).path("issuer").asText());
    }

    @Test
    void anUnknownTenantIsInvalidTenantInTheDocumentedErrorShape() {
        for (String path : List.of("v2.0/.well-known/openid-configuration", "discovery/v2.0/keys", "oauth2/v2.0/token")) {
            String url = sandbox.authority("00000000-1111-2222-3333-444444444444") + path;
            HttpResponse<String> answer = path.endsWith("token")
                    ? clients.postForm(url, Map.of("grant_type", "client_credentials", "client_id", sandbox.app().clientId()))
                    : clients.get(url);
            JsonNode error = json(answer);

            assertEquals(400, answer.statusCode(), path);
            assertSameShape(fixture("error-response.json"), error, path);
            assertEquals("invalid_tenant", error.path("error").asText());
            assertEquals(90002, error.path("error_codes").get(0).asInt());
            assertTrue(error.path("error_description").asText().startsWith("AADSTS90002: Tenant '00000000-1111-2222-3333-444444444444' not found."));
            assertEquals("https://login.microsoftonline.com/error?code=90002", error.path("error_uri").asText());
        }
    }

    @Test
    void theTokenEndpointsErrorsHaveTheDocumentedShape() {
        JsonNode error = json(clients.postForm(sandbox.authority(CONTOSO) + "oauth2/v2.0/token", Map.of("grant_type", "authorization_code",
                "client_id", sandbox.app().clientId(), "client_secret", sandbox.app().clientSecret(), "code", "not-a-code",
                "redirect_uri", SandboxClients.REDIRECT_URI)));

        assertSameShape(fixture("error-response.json"), error, "invalid_grant");
    }

    @Test
    void aRedeemedCodeAnswersWithTheDocumentedTokenResponseKeys() {
        SandboxClients.Pkce pkce = SandboxClients.Pkce.create();
        String authorize = clients.authorizeUrl(clients.msal(CONTOSO), SandboxClients.FULL_SCOPES, "s", pkce, ResponseMode.QUERY);
        String code = SandboxClients.handedBack(clients.signIn(authorize, sandbox.user("adele.vance@contoso.example"), "accept")).get("code");

        JsonNode tokens = json(clients.postForm(sandbox.authority(CONTOSO) + "oauth2/v2.0/token", Map.of("grant_type", "authorization_code",
                "client_id", sandbox.app().clientId(), "client_secret", sandbox.app().clientSecret(), "code", code,
                "redirect_uri", SandboxClients.REDIRECT_URI, "code_verifier", pkce.verifier(),
                "scope", "openid offline_access " + String.join(" ", SandboxClients.FULL_SCOPES))));

        // Entra adds ext_expires_in (and client_info when asked) to the documented example: at least its keys.
        assertHasShapeOf(fixture("token-response.json"), tokens, "token response");
    }

    @Test
    void theAdminConsentRedirectsCarryTheDocumentedParameters() {
        String redirect = "http://localhost:7071/api/connect/adminconsent";
        String url = sandbox.authority(SandboxDirectory.NORTHWIND_TENANT_ID) + "v2.0/adminconsent?client_id=" + sandbox.app().clientId()
                + "&scope=" + encode("https://graph.microsoft.com/Mail.Send") + "&redirect_uri=" + encode(redirect) + "&state=12345";
        SandboxUser patti = sandbox.user("patti.fernandez@northwind.example");

        Map<String, String> granted = SandboxClients.handedBack(clients.signIn(url, patti, "accept"));
        Map<String, String> declined = SandboxClients.handedBack(clients.signIn(url, patti, "cancel"));

        assertEquals(documentedParameters("admin-consent-success.txt"), granted.keySet());
        assertEquals(documentedParameters("admin-consent-error.txt"), declined.keySet());
    }

    /** The same keys, each with the same JSON type (for arrays, also their first elements' type). */
    private static void assertSameShape(JsonNode documented, JsonNode ours, String what) {
        assertEquals(names(documented), names(ours), what + ": keys");
        assertHasShapeOf(documented, ours, what);
    }

    private static void assertHasShapeOf(JsonNode documented, JsonNode ours, String what) {
        assertTrue(names(ours).containsAll(names(documented)), what + ": lacks " + difference(names(documented), names(ours)));
        documented.fieldNames().forEachRemaining(name -> {
            JsonNode expected = documented.get(name);
            JsonNode actual = ours.get(name);
            assertEquals(expected.getNodeType(), actual.getNodeType(), what + "." + name);
            if (expected.isArray() && expected.size() > 0 && actual.size() > 0) {
                assertEquals(expected.get(0).getNodeType(), actual.get(0).getNodeType(), what + "." + name + "[0]");
            }
        });
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> difference(Set<String> wanted, Set<String> present) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }

    private static Set<String> documentedParameters(String name) {
        String url = text(name).trim();
        Set<String> keys = new TreeSet<>(io.mailbridge.sandbox.http.Request.parseForm(URI.create(url).getRawQuery()).keySet());
        return keys;
    }

    private static JsonNode fixture(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        try (InputStream in = IdentityContractIT.class.getResourceAsStream("/microsoft/entra/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + answer.statusCode() + " " + answer.body(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
