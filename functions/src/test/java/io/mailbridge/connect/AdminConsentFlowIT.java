package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Settings;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.Sandbox;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxExtension;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestSettings;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin consent link the product makes, followed at the sandbox's Entra, and the administrator's return checked by the product. */
@ExtendWith({AzuriteExtension.class, SandboxExtension.class})
class AdminConsentFlowIT {
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");
    private static final String PUBLIC_BASE = "http://localhost:7071";

    private final Sandbox sandbox;
    private AdminConsent adminConsent;
    private HttpClient http;

    AdminConsentFlowIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void wire(Azurite azurite) {
        StorageClients storage = TestStorage.clients(azurite);
        Map<String, String> values = TestSettings.values();
        values.put("MAILBRIDGE_ENTRA_AUTHORITY", sandbox.authority("organizations"));
        values.put("MAILBRIDGE_ENTRA_CLIENT_ID", sandbox.app().clientId());
        values.put("MAILBRIDGE_PUBLIC_BASE_URL", PUBLIC_BASE);
        Settings settings = Settings.from(values);
        adminConsent = new AdminConsent(new AdminConsentRequests(storage, TestStorage.newTable(storage, "adminconsent")), settings.microsoft(),
                settings.stamp(), sandbox.clock());
        http = HttpClient.newBuilder().sslContext(sandbox.tls().clientContext()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterEach
    void revoke() {
        sandbox.identity().revokeAdminConsent(SandboxDirectory.NORTHWIND_TENANT_ID, sandbox.app().clientId());
    }

    private SignInState pradeepsSignIn() {
        return new SignInState("s", "northwind", "pradeep.gupta", "pradeep.gupta@northwind.example", SyncMode.TWO_WAY, Profile.FULL,
                "http://localhost:7080/return", "verifier", "browser", sandbox.clock().instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void theLinkLetsAnAdminApproveAndTheReturnIsConfirmedForTheUserWhoAsked() {
        URI link = adminConsent.linkFor(pradeepsSignIn());

        assertTrue(link.toString().startsWith(sandbox.authority("organizations") + "v2.0/adminconsent?client_id=" + sandbox.app().clientId()), link.toString());
        Map<String, String> query = adminAnswers(link, sandbox.user("patti.fernandez@northwind.example"), "accept");

        AdminConsent.Outcome outcome = adminConsent.receive(query);

        assertEquals(new AdminConsent.Outcome.Granted("pradeep.gupta@northwind.example", SandboxDirectory.NORTHWIND_TENANT_ID), outcome);
        assertTrue(sandbox.identity().adminConsented(SandboxDirectory.NORTHWIND_TENANT_ID, sandbox.app().clientId(), Profile.FULL.graphScopes()),
                "the link asks for every permission the user's sign-in asks for");
    }

    @Test
    void aNonAdminOrACancelConfirmsNothing() {
        URI link = adminConsent.linkFor(pradeepsSignIn());

        AdminConsent.Outcome notAdmin = adminConsent.receive(adminAnswers(link, sandbox.user("pradeep.gupta@northwind.example"), "accept"));
        AdminConsent.Outcome cancelled = adminConsent.receive(adminAnswers(link, sandbox.user("patti.fernandez@northwind.example"), "cancel"));

        assertTrue(assertInstanceOf(AdminConsent.Outcome.NotGranted.class, notAdmin).description().startsWith("AADSTS90093"));
        assertTrue(assertInstanceOf(AdminConsent.Outcome.NotGranted.class, cancelled).description().startsWith("AADSTS65004"));
    }

    @Test
    void aForgedOrExpiredReturnConfirmsNothing() {
        URI link = adminConsent.linkFor(pradeepsSignIn());
        Map<String, String> genuine = adminAnswers(link, sandbox.user("patti.fernandez@northwind.example"), "accept");
        Map<String, String> forged = new HashMap<>(genuine);
        forged.put("state", "made-up");
        Map<String, String> noState = new HashMap<>(genuine);
        noState.remove("state");

        assertInstanceOf(AdminConsent.Outcome.Unknown.class, adminConsent.receive(forged));
        assertInstanceOf(AdminConsent.Outcome.Unknown.class, adminConsent.receive(noState));
        sandbox.clock().advance(AdminConsent.LINK_LIFETIME);
        assertInstanceOf(AdminConsent.Outcome.Unknown.class, adminConsent.receive(genuine));
    }

    /** Opens the link, signs in as {@code admin}, presses the button, and returns the query Microsoft redirects back with. */
    private Map<String, String> adminAnswers(URI link, SandboxUser admin, String action) {
        HttpResponse<String> page = send(HttpRequest.newBuilder(link).GET().build());
        Matcher request = REQUEST_FIELD.matcher(page.body());
        assertTrue(request.find(), page.statusCode() + " " + page.body());
        String form = Map.of("request", request.group(1), "user", admin.id(), "action", action).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        String actionUrl = link.toString().substring(0, link.toString().indexOf('?'));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(actionUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(302, answer.statusCode(), answer.body());
        URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertEquals(URI.create(PUBLIC_BASE + "/api/" + AdminConsent.ROUTE), URI.create(back.toString().substring(0, back.toString().indexOf('?'))));
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
