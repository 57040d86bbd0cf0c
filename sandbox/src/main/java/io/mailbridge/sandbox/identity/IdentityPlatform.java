package io.mailbridge.sandbox.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.AppRegistration;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxTenant;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The Microsoft identity platform (v2.0) for the sandbox's tenants: OpenID metadata, JWKS, the
 * authorize page, the admin consent endpoint, and the token endpoint's authorization_code (PKCE),
 * refresh_token (rotating) and client_credentials grants, with Entra's error shapes and AADSTS
 * codes. In a tenant where users may not consent, a user asking for permissions no admin has
 * granted tenant-wide meets Entra's "Need admin approval" page (AADSTS90094); the app hears only
 * access_denied, and only if the user goes back to it.
 */
public final class IdentityPlatform {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> GRAPH_AUDIENCES = Set.of(Scopes.GRAPH_RESOURCE, Scopes.GRAPH_APP_ID);

    private final SandboxDirectory directory;
    private final SandboxClock clock;
    private final String baseUrl;
    private final SigningKey key = new SigningKey();
    private volatile IdentitySettings settings;
    private final Map<String, PendingSignIn> pendingSignIns = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    /** Delegated access tokens issued per user (code or refresh token redeemed). */
    private final Map<String, LongAdder> userTokensIssued = new ConcurrentHashMap<>();
    /** Per user: refresh tokens issued before this instant are revoked (Entra's TokensValidFrom). */
    private final Map<String, Instant> tokensValidFrom = new ConcurrentHashMap<>();
    /** Redirect URIs registered per client id after start, beside the app registration's own. */
    private final Map<String, Set<String>> registeredRedirectUris = new ConcurrentHashMap<>();
    private final Map<String, PendingAdminConsent> pendingAdminConsents = new ConcurrentHashMap<>();
    /** Tenant-wide (admin) consent: tenant id + "|" + client id to the Graph permissions granted, lower case. */
    private final Map<String, Set<String>> tenantGrants = new ConcurrentHashMap<>();

    public IdentityPlatform(String baseUrl, SandboxDirectory directory, SandboxClock clock, IdentitySettings settings) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.clock = clock;
        this.settings = settings;
    }

    private record PendingSignIn(String tenant, AppRegistration app, String redirectUri, List<String> scopes, String state,
                                 String responseMode, String codeChallenge, String codeChallengeMethod, String nonce, Instant createdAt) {
    }

    private record PendingAdminConsent(String tenant, AppRegistration app, String redirectUri, String scope, String state, Instant createdAt) {
    }

    private record AuthorizationCode(String clientId, String redirectUri, String userId, List<String> scopes, String codeChallenge,
                                     String codeChallengeMethod, String nonce, Instant issuedAt, boolean redeemed) {
        AuthorizationCode redeem() {
            return new AuthorizationCode(clientId, redirectUri, userId, scopes, codeChallenge, codeChallengeMethod, nonce, issuedAt, true);
        }
    }

    private record RefreshToken(String clientId, String userId, List<String> scopes, Instant issuedAt, Instant lastUsedAt,
                                boolean expiredByControl, boolean used) {
        RefreshToken expire() {
            return new RefreshToken(clientId, userId, scopes, issuedAt, lastUsedAt, true, used);
        }

        RefreshToken use() {
            return new RefreshToken(clientId, userId, scopes, issuedAt, lastUsedAt, expiredByControl, true);
        }
    }

    public void settings(IdentitySettings newSettings) {
        this.settings = newSettings;
    }

    public IdentitySettings settings() {
        return settings;
    }

    // ---- controls ----

    /** Adds redirect URIs to an app's registration, as an operator does in the Entra admin center. */
    public void registerRedirectUris(String clientId, List<String> uris) {
        registeredRedirectUris.computeIfAbsent(clientId.toLowerCase(Locale.ROOT), id -> ConcurrentHashMap.newKeySet()).addAll(uris);
    }

    /** Removes the tenant-wide grants of an app, as deleting its permission grants in the admin center does. */
    public void revokeAdminConsent(String tenantId, String clientId) {
        tenantGrants.remove(grantKey(tenantId, clientId));
    }

    /** Whether an admin of the tenant has granted the app these Graph permissions for everyone in it. */
    public boolean adminConsented(String tenantId, String clientId, Set<String> permissions) {
        Set<String> granted = tenantGrants.getOrDefault(grantKey(tenantId, clientId), Set.of());
        return permissions.stream().allMatch(permission -> granted.contains(permission.toLowerCase(Locale.ROOT)));
    }

    /** Revokes every refresh token the user holds now (as a password reset does): their next use answers AADSTS50173. */
    public void revokeRefreshTokens(String userId) {
        tokensValidFrom.put(userId, clock.now().plusMillis(1));
    }

    /** Makes every refresh token the user holds now expired: their next use answers AADSTS700082. */
    public void expireRefreshTokens(String userId) {
        refreshTokens.replaceAll((token, grant) -> grant.userId().equals(userId) ? grant.expire() : grant);
    }

    /** How many refresh tokens the user holds that are neither revoked nor expired. */
    public long activeRefreshTokens(String userId) {
        return refreshTokens.values().stream().filter(grant -> grant.userId().equals(userId) && refreshProblem(grant) == null).count();
    }

    /** How many delegated access tokens the user was issued so far: a client that reuses its tokens asks rarely. */
    public long userTokensIssued(String userId) {
        LongAdder count = userTokensIssued.get(userId);
        return count == null ? 0 : count.sum();
    }

    // ---- Graph's side ----

    /** Checks a bearer token the way Graph does: our signature, Graph as audience, not expired. */
    public TokenCheck check(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return new TokenCheck.Rejected("Access token is empty.");
        }
        Optional<JsonNode> verified = key.verifiedClaims(bearerToken);
        if (verified.isEmpty()) {
            return new TokenCheck.Rejected("Invalid JWT token. The token is malformed or its signature is not valid.");
        }
        JsonNode claims = verified.get();
        if (!GRAPH_AUDIENCES.contains(claims.path("aud").asText())) {
            return new TokenCheck.Rejected("Invalid audience.");
        }
        Instant expiresAt = Instant.ofEpochSecond(claims.path("exp").asLong());
        Instant now = clock.now();
        if (!now.isBefore(expiresAt) || now.isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()).minusSeconds(300))) {
            return new TokenCheck.Rejected("Lifetime validation failed, the token is expired.");
        }
        Set<String> scopes = Arrays.stream(claims.path("scp").asText("").split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        Set<String> roles = new HashSet<>();
        claims.path("roles").forEach(role -> roles.add(role.asText()));
        String userId = "app".equals(claims.path("idtyp").asText()) ? null : claims.path("oid").asText();
        return new TokenCheck.Accepted(new AccessGrant(userId, claims.path("tid").asText(), claims.path("appid").asText(), scopes, roles, expiresAt));
    }

    // ---- HTTP ----

    /** Serves /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys and /{tenant}/oauth2/v2.0/{authorize,token}. */
    public Response handle(Request request) {
        List<String> segments = request.segments();
        if (segments.size() < 2) {
            return Response.text(404, "Not an identity platform path");
        }
        String tenant = segments.get(0);
        String rest = String.join("/", segments.subList(1, segments.size()));
        if (!knownTenant(tenant)) {
            String message = "Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
                    + " Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.";
            if (rest.equals("oauth2/v2.0/authorize") || rest.equals("v2.0/adminconsent")) {
                return Response.html(400, ConsentPage.error("AADSTS90002", message));
            }
            return new IdentityError(400, "invalid_tenant", 90002, message, null).toResponse(clock.now(), correlationId(request));
        }
        return switch (rest) {
            case "v2.0/.well-known/openid-configuration" -> Response.json(200, openIdConfiguration(tenant));
            case "discovery/v2.0/keys" -> Response.json(200, key.jwks(issuer(directory.tenant(tenant).map(SandboxTenant::id).orElse("{tenantid}"))));
            case "v2.0/adminconsent" -> "POST".equals(request.method()) ? grantAdminConsent(request, tenant) : adminConsent(request, tenant);
            case "oauth2/v2.0/authorize" -> "POST".equals(request.method()) ? decide(request, tenant) : authorize(request, tenant);
            case "oauth2/v2.0/token" -> "POST".equals(request.method())
                    ? token(request, tenant)
                    : Response.text(405, "The token endpoint takes POST");
            default -> Response.text(404, "Not an identity platform path");
        };
    }

    private boolean knownTenant(String tenant) {
        return isMultiTenant(tenant) || directory.tenant(tenant).isPresent();
    }

    private static boolean isMultiTenant(String tenant) {
        return tenant.equalsIgnoreCase("common") || tenant.equalsIgnoreCase("organizations");
    }

    /** The discovery document with Entra's keys; values name the sandbox's endpoints and what it supports. */
    private ObjectNode openIdConfiguration(String tenant) {
        String tenantId = directory.tenant(tenant).map(SandboxTenant::id).orElse("{tenantid}");
        String root = baseUrl + "/" + tenant;
        ObjectNode config = Json.object().put("token_endpoint", root + "/oauth2/v2.0/token");
        config.set("token_endpoint_auth_methods_supported", strings("client_secret_post", "client_secret_basic"));
        config.put("jwks_uri", root + "/discovery/v2.0/keys");
        config.set("response_modes_supported", strings("query", "form_post"));
        config.set("subject_types_supported", strings("pairwise"));
        config.set("id_token_signing_alg_values_supported", strings("RS256"));
        config.set("response_types_supported", strings("code"));
        config.set("scopes_supported", strings("openid", "profile", "email", "offline_access"));
        config.put("issuer", issuer(tenantId))
                .put("request_uri_parameter_supported", false)
                .put("userinfo_endpoint", baseUrl + "/oidc/userinfo")
                .put("authorization_endpoint", root + "/oauth2/v2.0/authorize")
                .put("device_authorization_endpoint", root + "/oauth2/v2.0/devicecode")
                .put("http_logout_supported", true)
                .put("frontchannel_logout_supported", true)
                .put("end_session_endpoint", root + "/oauth2/v2.0/logout");
        config.set("claims_supported", strings("sub", "iss", "aud", "exp", "iat", "nbf", "name", "nonce", "oid", "preferred_username", "tid", "ver", "email"));
        config.put("kerberos_endpoint", root + "/kerberos")
                .put("tenant_region_scope", directory.tenant(tenant).map(SandboxTenant::region).orElse(null))
                .put("cloud_instance_name", "sandbox.local")
                .put("cloud_graph_host_name", "127.0.0.1")
                .put("msgraph_host", "127.0.0.1")
                .put("rbac_url", baseUrl + "/rbac");
        return config;
    }

    private static ArrayNode strings(String... values) {
        ArrayNode array = Json.array();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    /**
     * What every browser endpoint checks first, as Entra does: an unknown app or a redirect URI it has not registered
     * gets a page, never a redirect (a redirect would hand the answer to whoever wrote the link).
     */
    private Optional<Response> refusedClient(Map<String, String> query) {
        Optional<AppRegistration> app = directory.app(query.getOrDefault("client_id", ""));
        if (app.isEmpty()) {
            return Optional.of(Response.html(400, ConsentPage.error("AADSTS700016", "Application with identifier '"
                    + query.getOrDefault("client_id", "") + "' was not found in the directory.")));
        }
        String redirectUri = query.getOrDefault("redirect_uri", "");
        return allowsRedirect(app.get(), redirectUri) ? Optional.empty() : Optional.of(redirectMismatch(app.get(), redirectUri));
    }

    // ---- authorize ----

    private Response authorize(Request request, String tenant) {
        Map<String, String> query = request.query();
        Optional<Response> refused = refusedClient(query);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<AppRegistration> app = directory.app(query.get("client_id"));
        String redirectUri = query.get("redirect_uri");
        String state = query.get("state");
        String responseMode = query.getOrDefault("response_mode", "query");
        if (!responseMode.equals("query") && !responseMode.equals("form_post")) {
            return handBack(redirectUri, "query", errorFields("invalid_request", "AADSTS900144: The sandbox supports response_mode query and form_post, not '" + responseMode + "'.", state));
        }
        if (!"code".equals(query.get("response_type"))) {
            return handBack(redirectUri, responseMode, errorFields("unsupported_response_type", "AADSTS700054: response_type must be 'code'.", state));
        }
        List<String> scopes = Scopes.parse(query.get("scope"));
        if (scopes.isEmpty()) {
            return handBack(redirectUri, responseMode, errorFields("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.", state));
        }
        String challenge = query.get("code_challenge");
        String method = query.getOrDefault("code_challenge_method", challenge == null ? null : "plain");
        if (challenge != null && !"S256".equals(method) && !"plain".equals(method)) {
            return handBack(redirectUri, responseMode, errorFields("invalid_request", "AADSTS501491: Invalid code_challenge_method.", state));
        }
        if ("none".equals(query.get("prompt"))) {
            return handBack(redirectUri, responseMode, errorFields("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.", state));
        }
        String requestId = randomToken();
        pendingSignIns.put(requestId, new PendingSignIn(tenant, app.get(), redirectUri, scopes, state, responseMode, challenge, method,
                query.get("nonce"), clock.now()));
        List<SandboxUser> users = isMultiTenant(tenant) ? directory.users() : directory.usersOf(directory.tenant(tenant).orElseThrow().id());
        String actionUrl = baseUrl + "/" + tenant + "/oauth2/v2.0/authorize";
        return Response.html(200, ConsentPage.signIn(actionUrl, requestId, app.get(), users, scopes, query.get("login_hint")))
                .withHeader("Cache-Control", "no-store");
    }

    /** The sign-in form's POST: Accept issues a code for the picked user, Cancel answers access_denied. */
    private Response decide(Request request, String tenant) {
        Map<String, String> form = request.form();
        PendingSignIn pending = pendingSignIns.remove(form.getOrDefault("request", ""));
        if (pending == null || pending.createdAt().plus(Duration.ofHours(1)).isBefore(clock.now()) || !pending.tenant().equals(tenant)) {
            return Response.html(400, ConsentPage.error("AADSTS90014", "This sign-in request is unknown, used or expired. Start again from the app."));
        }
        if (!"accept".equals(form.get("action"))) {
            // Both Cancel on the consent page and "Return to the application" on the approval page.
            Map<String, String> fields = errorFields("access_denied", "AADSTS65004: User declined to consent to access the app.", pending.state());
            fields.put("error_subcode", "cancel");
            return handBack(pending.redirectUri(), pending.responseMode(), fields);
        }
        Optional<SandboxUser> user = directory.user(form.getOrDefault("user", ""))
                .filter(candidate -> isMultiTenant(tenant) || directory.tenant(tenant).map(t -> t.id().equals(candidate.tenantId())).orElse(false));
        if (user.isEmpty()) {
            return Response.html(400, ConsentPage.error("AADSTS50034", "The user account does not exist in this directory."));
        }
        SandboxTenant home = directory.tenant(user.get().tenantId()).orElseThrow();
        if (!home.userConsentAllowed() && !user.get().admin()
                && !adminConsented(home.id(), pending.app().clientId(), Scopes.graphPermissions(pending.scopes()))) {
            // Entra stops here and the app hears nothing; the page's way back answers access_denied.
            String returnId = randomToken();
            pendingSignIns.put(returnId, pending);
            return Response.html(200, ConsentPage.needAdminApproval(baseUrl + "/" + tenant + "/oauth2/v2.0/authorize", returnId, pending.app(),
                    home, user.get())).withHeader("Cache-Control", "no-store");
        }
        String code = randomToken();
        codes.put(code, new AuthorizationCode(pending.app().clientId(), pending.redirectUri(), user.get().id(), pending.scopes(),
                pending.codeChallenge(), pending.codeChallengeMethod(), pending.nonce(), clock.now(), false));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("code", code);
        if (pending.state() != null) {
            fields.put("state", pending.state());
        }
        fields.put("session_state", UUID.randomUUID().toString());
        return handBack(pending.redirectUri(), pending.responseMode(), fields);
    }

    // ---- admin consent ----

    /** GET /{tenant}/v2.0/adminconsent: an administrator signs in and grants the scopes for their whole tenant. */
    private Response adminConsent(Request request, String tenant) {
        Map<String, String> query = request.query();
        Optional<Response> refused = refusedClient(query);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<AppRegistration> app = directory.app(query.get("client_id"));
        String redirectUri = query.get("redirect_uri");
        String state = query.get("state");
        List<String> scopes = Scopes.parse(query.get("scope"));
        if (scopes.isEmpty()) {
            return handBack(redirectUri, "query", errorFields("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.", state));
        }
        String requestId = randomToken();
        pendingAdminConsents.put(requestId, new PendingAdminConsent(tenant, app.get(), redirectUri, query.get("scope"), state, clock.now()));
        List<SandboxUser> users = isMultiTenant(tenant) ? directory.users() : directory.usersOf(directory.tenant(tenant).orElseThrow().id());
        return Response.html(200, ConsentPage.adminConsent(baseUrl + "/" + tenant + "/v2.0/adminconsent", requestId, app.get(), users, scopes))
                .withHeader("Cache-Control", "no-store");
    }

    /** The admin consent form's POST: an admin's Accept grants tenant-wide; anything else goes back as an error. */
    private Response grantAdminConsent(Request request, String tenant) {
        Map<String, String> form = request.form();
        PendingAdminConsent pending = pendingAdminConsents.remove(form.getOrDefault("request", ""));
        if (pending == null || pending.createdAt().plus(Duration.ofHours(1)).isBefore(clock.now()) || !pending.tenant().equals(tenant)) {
            return Response.html(400, ConsentPage.error("AADSTS90014", "This consent request is unknown, used or expired. Start again from the link you were sent."));
        }
        if (!"accept".equals(form.get("action"))) {
            return handBack(pending.redirectUri(), "query", adminConsentError("AADSTS65004: User declined to consent to access the app.", pending.state()));
        }
        Optional<SandboxUser> user = directory.user(form.getOrDefault("user", ""))
                .filter(candidate -> isMultiTenant(tenant) || directory.tenant(tenant).map(t -> t.id().equals(candidate.tenantId())).orElse(false));
        if (user.isEmpty()) {
            return Response.html(400, ConsentPage.error("AADSTS50034", "The user account does not exist in this directory."));
        }
        if (!user.get().admin()) {
            return handBack(pending.redirectUri(), "query", adminConsentError("AADSTS90093: " + pending.app().displayName()
                    + " is requesting one or more permissions that you are not authorized to grant. Contact an administrator, who can consent to this application on your behalf.",
                    pending.state()));
        }
        String tenantId = user.get().tenantId();
        Set<String> granted = tenantGrants.computeIfAbsent(grantKey(tenantId, pending.app().clientId()), key -> ConcurrentHashMap.newKeySet());
        Scopes.graphPermissions(Scopes.parse(pending.scope())).forEach(permission -> granted.add(permission.toLowerCase(Locale.ROOT)));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("admin_consent", "True");
        fields.put("tenant", tenantId);
        fields.put("scope", pending.scope());
        if (pending.state() != null) {
            fields.put("state", pending.state());
        }
        return handBack(pending.redirectUri(), "query", fields);
    }

    /** The admin consent endpoint's documented failure: admin_consent=True with error=consent_required. */
    private static Map<String, String> adminConsentError(String description, String state) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("admin_consent", "True");
        fields.putAll(errorFields("consent_required", description, state));
        return fields;
    }

    private static String grantKey(String tenantId, String clientId) {
        return tenantId.toLowerCase(Locale.ROOT) + "|" + clientId.toLowerCase(Locale.ROOT);
    }

    private boolean allowsRedirect(AppRegistration app, String redirectUri) {
        return app.allowsRedirect(redirectUri, registeredRedirectUris.getOrDefault(app.clientId().toLowerCase(Locale.ROOT), Set.of()));
    }

    /** AADSTS50011 is a page of Entra's: a mismatched redirect URI is never followed. */
    private static Response redirectMismatch(AppRegistration app, String redirectUri) {
        return Response.html(400, ConsentPage.error("AADSTS50011", "The redirect URI '" + redirectUri
                + "' specified in the request does not match the redirect URIs configured for the application '" + app.clientId()
                + "'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."));
    }

    private static Map<String, String> errorFields(String error, String description, String state) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("error", error);
        fields.put("error_description", description);
        if (state != null) {
            fields.put("state", state);
        }
        return fields;
    }

    private static Response handBack(String redirectUri, String responseMode, Map<String, String> fields) {
        if ("form_post".equals(responseMode)) {
            return Response.html(200, ConsentPage.formPost(redirectUri, fields)).withHeader("Cache-Control", "no-store");
        }
        String query = fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return Response.redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + query);
    }

    // ---- token ----

    private Response token(Request request, String tenant) {
        Map<String, String> form = request.form();
        String correlationId = correlationId(request);
        Instant now = clock.now();
        String clientId = form.getOrDefault("client_id", "");
        Optional<AppRegistration> app = directory.app(clientId);
        if (app.isEmpty()) {
            return new IdentityError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory.", null).toResponse(now, correlationId);
        }
        String secret = form.get("client_secret");
        if (secret == null) {
            return IdentityError.invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
                    .toResponse(now, correlationId);
        }
        if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), app.get().clientSecret().getBytes(StandardCharsets.UTF_8))) {
            return IdentityError.invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + clientId + "'.").toResponse(now, correlationId);
        }
        String grantType = form.getOrDefault("grant_type", "");
        IssueOutcome outcome = switch (grantType) {
            case "authorization_code" -> redeemCode(form, app.get());
            case "refresh_token" -> redeemRefreshToken(form, app.get());
            case "client_credentials" -> appOnlyToken(form, app.get(), tenant);
            default -> new IssueOutcome.Refused(new IdentityError(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.", null));
        };
        return switch (outcome) {
            case IssueOutcome.Refused(IdentityError error) -> error.toResponse(now, correlationId);
            case IssueOutcome.Issued(ObjectNode body) -> Response.json(200, body).withHeader("Cache-Control", "no-store");
        };
    }

    private sealed interface IssueOutcome {
        record Issued(ObjectNode body) implements IssueOutcome {
        }

        record Refused(IdentityError error) implements IssueOutcome {
        }
    }

    private IssueOutcome redeemCode(Map<String, String> form, AppRegistration app) {
        String code = form.getOrDefault("code", "");
        AuthorizationCode[] found = new AuthorizationCode[1];
        // Redeeming is atomic: of two concurrent redemptions exactly one sees the code unredeemed.
        codes.computeIfPresent(code, (key, grant) -> {
            found[0] = grant;
            return grant.redeem();
        });
        AuthorizationCode grant = found[0];
        if (grant == null || !grant.clientId().equalsIgnoreCase(app.clientId())) {
            return refuse(IdentityError.invalidGrant(9002313, "Invalid request. Request is malformed or invalid: the authorization code is not known."));
        }
        if (grant.redeemed()) {
            return refuse(IdentityError.invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."));
        }
        if (grant.issuedAt().plus(settings.codeLifetime()).isBefore(clock.now())) {
            return refuse(IdentityError.invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."));
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            return refuse(IdentityError.invalidGrant(500112, "The reply address '" + form.get("redirect_uri")
                    + "' does not match the reply address '" + grant.redirectUri() + "' provided when requesting Authorization code."));
        }
        if (grant.codeChallenge() != null && !pkceMatches(grant, form.get("code_verifier"))) {
            return refuse(IdentityError.invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."));
        }
        SandboxUser user = directory.user(grant.userId()).orElseThrow();
        return new IssueOutcome.Issued(userTokens(app, user, grant.scopes(), grant.nonce()));
    }

    private static boolean pkceMatches(AuthorizationCode grant, String verifier) {
        if (verifier == null || verifier.length() < 43 || verifier.length() > 128) {
            return false;
        }
        String expected = "plain".equals(grant.codeChallengeMethod()) ? verifier : s256(verifier);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), grant.codeChallenge().getBytes(StandardCharsets.US_ASCII));
    }

    private IssueOutcome redeemRefreshToken(Map<String, String> form, AppRegistration app) {
        String token = form.getOrDefault("refresh_token", "");
        RefreshToken[] found = new RefreshToken[1];
        refreshTokens.computeIfPresent(token, (key, grant) -> {
            found[0] = grant;
            return settings.singleUseRefreshTokens() ? grant.use() : grant;
        });
        RefreshToken grant = found[0];
        if (grant == null || !grant.clientId().equalsIgnoreCase(app.clientId())) {
            return refuse(IdentityError.invalidGrant(9002313, "Invalid request. Request is malformed or invalid: the refresh token is not known."));
        }
        IdentityError problem = refreshProblem(grant);
        if (problem != null) {
            return refuse(problem);
        }
        List<String> requested = Scopes.parse(form.get("scope"));
        Set<String> granted = Scopes.graphPermissions(grant.scopes()).stream().map(String::toLowerCase).collect(Collectors.toSet());
        List<String> beyond = Scopes.graphPermissions(requested).stream().filter(p -> !granted.contains(p.toLowerCase())).toList();
        if (!beyond.isEmpty()) {
            return refuse(new IdentityError(400, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '"
                    + app.clientId() + "' named '" + app.displayName() + "'. Send an interactive authorization request for this user and resource.", "consent_required"));
        }
        List<String> scopes = Scopes.graphPermissions(requested).isEmpty() ? grant.scopes() : merge(requested, grant.scopes());
        SandboxUser user = directory.user(grant.userId()).orElseThrow();
        return new IssueOutcome.Issued(userTokens(app, user, scopes, null));
    }

    /** Keeps the requested Graph scopes and the OpenID Connect scopes the original consent had. */
    private static List<String> merge(List<String> requested, List<String> original) {
        List<String> merged = new ArrayList<>(requested);
        original.stream().filter(Scopes::isOidc).filter(scope -> !Scopes.contains(merged, scope)).forEach(merged::add);
        return merged;
    }

    /** Why a refresh token cannot be used, or null: revoked (50173) or expired (700082, also a used single-use token). */
    private IdentityError refreshProblem(RefreshToken grant) {
        Instant validFrom = tokensValidFrom.get(grant.userId());
        if (validFrom != null && grant.issuedAt().isBefore(validFrom)) {
            return IdentityError.invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '"
                    + grant.issuedAt() + "' and the TokensValidFrom date (before which tokens are not valid) for this user is '" + validFrom + "'.");
        }
        Instant now = clock.now();
        if (grant.expiredByControl() || grant.used() || grant.lastUsedAt().plus(settings.refreshTokenInactivity()).isBefore(now)) {
            Duration inactive = Duration.between(grant.lastUsedAt(), now);
            return IdentityError.invalidGrant(700082, "The refresh token has expired due to inactivity. The token was issued on "
                    + grant.issuedAt() + " and was inactive for " + inactive.toDays() + "." + String.format("%02d:%02d:%02d", inactive.toHoursPart(), inactive.toMinutesPart(), inactive.toSecondsPart()) + ".");
        }
        return null;
    }

    private IssueOutcome appOnlyToken(Map<String, String> form, AppRegistration app, String tenant) {
        // MSAL4J adds openid, profile and offline_access to every request; Entra ignores them here.
        List<String> resourceScopes = Scopes.parse(form.get("scope")).stream().filter(s -> !Scopes.isOidc(s)).toList();
        String scope = String.join(" ", resourceScopes);
        if (resourceScopes.size() != 1 || !scope.endsWith("/.default")) {
            return refuse(new IdentityError(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", null));
        }
        Optional<SandboxTenant> home = directory.tenant(tenant);
        if (home.isEmpty()) {
            return refuse(IdentityError.invalidRequest(50059, "No tenant-identifying information found in either the request or implied by any provided credentials."));
        }
        Instant now = clock.now();
        ObjectNode claims = baseClaims(now, app, home.get().id()).put("idtyp", "app").put("oid", UUID.nameUUIDFromBytes(app.clientId().getBytes(StandardCharsets.UTF_8)).toString())
                .put("sub", app.clientId());
        ArrayNode roles = claims.putArray("roles");
        app.applicationPermissions().stream().sorted().forEach(roles::add);
        ObjectNode body = Json.object().put("token_type", "Bearer").put("expires_in", settings.accessTokenLifetime().toSeconds())
                .put("ext_expires_in", settings.accessTokenLifetime().toSeconds()).put("access_token", key.sign(claims));
        return new IssueOutcome.Issued(body);
    }

    private ObjectNode baseClaims(Instant now, AppRegistration app, String tenantId) {
        return Json.object()
                .put("aud", Scopes.GRAPH_RESOURCE)
                .put("iss", issuer(tenantId))
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", now.plus(settings.accessTokenLifetime()).getEpochSecond())
                .put("app_displayname", app.displayName())
                .put("appid", app.clientId())
                .put("tid", tenantId)
                .put("uti", randomToken().substring(0, 22))
                .put("ver", "1.0");
    }

    /** Access token, id token (with openid), refresh token (with offline_access) and client_info for a user. */
    private ObjectNode userTokens(AppRegistration app, SandboxUser user, List<String> scopes, String nonce) {
        userTokensIssued.computeIfAbsent(user.id(), id -> new LongAdder()).increment();
        Instant now = clock.now();
        Set<String> permissions = Scopes.graphPermissions(scopes);
        ObjectNode access = baseClaims(now, app, user.tenantId())
                .put("idtyp", "user")
                .put("name", user.displayName())
                .put("oid", user.id())
                .put("preferred_username", user.userPrincipalName())
                .put("upn", user.userPrincipalName())
                .put("unique_name", user.userPrincipalName())
                .put("scp", String.join(" ", permissions))
                .put("sub", pairwiseSubject(user, app));
        ObjectNode body = Json.object()
                .put("token_type", "Bearer")
                .put("scope", scopes.stream().filter(scope -> !scope.equalsIgnoreCase("offline_access")).collect(Collectors.joining(" ")))
                .put("expires_in", settings.accessTokenLifetime().toSeconds())
                .put("ext_expires_in", settings.accessTokenLifetime().toSeconds())
                .put("access_token", key.sign(access));
        if (Scopes.contains(scopes, "offline_access")) {
            String refreshToken = randomToken() + randomToken();
            refreshTokens.put(refreshToken, new RefreshToken(app.clientId(), user.id(), scopes, now, now, false, false));
            body.put("refresh_token", refreshToken);
        }
        if (Scopes.contains(scopes, "openid")) {
            ObjectNode id = Json.object()
                    .put("aud", app.clientId())
                    .put("iss", issuer(user.tenantId()))
                    .put("iat", now.getEpochSecond())
                    .put("nbf", now.getEpochSecond())
                    .put("exp", now.plus(settings.accessTokenLifetime()).getEpochSecond())
                    .put("name", user.displayName())
                    .put("oid", user.id())
                    .put("preferred_username", user.userPrincipalName())
                    .put("sub", pairwiseSubject(user, app))
                    .put("tid", user.tenantId())
                    .put("ver", "2.0");
            if (nonce != null) {
                id.put("nonce", nonce);
            }
            if (Scopes.contains(scopes, "email")) {
                id.put("email", user.mail());
            }
            body.put("id_token", key.sign(id));
        }
        String clientInfo = Json.text(Json.object().put("uid", user.id()).put("utid", user.tenantId()));
        body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(clientInfo.getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    /** The issuer of tokens for a tenant: this sandbox's authority, as Entra's is https://login.microsoftonline.com/{tid}/v2.0. */
    public String issuer(String tenantId) {
        return baseUrl + "/" + tenantId + "/v2.0";
    }

    private static String pairwiseSubject(SandboxUser user, AppRegistration app) {
        return s256(user.id() + "|" + app.clientId()).substring(0, 43);
    }

    private static IssueOutcome refuse(IdentityError error) {
        return new IssueOutcome.Refused(error);
    }

    private static String correlationId(Request request) {
        return request.header("client-request-id").orElseGet(() -> UUID.randomUUID().toString());
    }

    static String s256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
