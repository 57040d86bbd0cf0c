package io.mailbridge.sandbox;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * The real clients configured the way the product configures them against the sandbox, and a
 * scripted person on the sign-in page (plain HTTP form posts).
 */
final class SandboxClients {
    static final String REDIRECT_URI = "http://localhost:7071/api/connect/callback";
    static final Set<String> FULL_SCOPES = Set.of("User.Read", "Mail.ReadWrite", "Mail.Send");
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    private final Sandbox sandbox;
    final HttpClient http;

    SandboxClients(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.http = HttpClient.newBuilder().sslContext(sandbox.tls().clientContext()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** MSAL4J as production builds it: the sandbox's authority, no instance discovery, the sandbox's trust. */
    ConfidentialClientApplication msal(String tenantId, String secret) {
        try {
            return ConfidentialClientApplication.builder(sandbox.app().clientId(), ClientCredentialFactory.createFromSecret(secret))
                    .authority(sandbox.authority(tenantId))
                    .instanceDiscovery(false)
                    .validateAuthority(false)
                    .aadInstanceDiscoveryResponse(sandbox.msalInstanceDiscoveryMetadata())
                    .sslSocketFactory(sandbox.tls().socketFactory())
                    .build();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    ConfidentialClientApplication msal(String tenantId) {
        return msal(tenantId, sandbox.app().clientSecret());
    }

    /** The Graph SDK as production builds it: base URL from settings, OkHttp trusting the sandbox. */
    GraphServiceClient graph(String accessToken) {
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return accessToken;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator(URI.create(sandbox.graphBaseUrl()).getHost());
            }
        };
        OkHttpClient okHttp = GraphClientFactory.create()
                .sslSocketFactory(sandbox.tls().socketFactory(), sandbox.tls().trustManager())
                .build();
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), okHttp);
        client.getRequestAdapter().setBaseUrl(sandbox.graphBaseUrl());
        return client;
    }

    /** A PKCE pair: verifier and its S256 challenge. */
    record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** MSAL4J's authorize URL; it always says response_mode=form_post, so query mode is asked for by editing the URL. */
    String authorizeUrl(ConfidentialClientApplication app, Set<String> scopes, String state, Pkce pkce, ResponseMode mode) {
        String url = app.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters.builder(REDIRECT_URI, scopes)
                .state(state).codeChallenge(pkce.challenge()).codeChallengeMethod("S256").build()).toString();
        return url.replace("response_mode=form_post", "response_mode=" + mode);
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    HttpResponse<String> postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the sign-in page and presses a button as the user; returns the sandbox's answer (a redirect or a form_post page). */
    HttpResponse<String> signIn(String authorizeUrl, SandboxUser user, String action) {
        HttpResponse<String> page = get(authorizeUrl);
        Matcher request = REQUEST_FIELD.matcher(page.body());
        if (page.statusCode() != 200 || !request.find()) {
            throw new AssertionError("No sign-in page: " + page.statusCode() + " " + page.body());
        }
        String actionUrl = authorizeUrl.substring(0, authorizeUrl.indexOf('?'));
        HttpResponse<String> answer = postForm(actionUrl, Map.of("request", request.group(1), "user", user.id(), "action", action));
        if (answer.statusCode() != 302 && answer.statusCode() != 200) {
            throw new AssertionError("Sign-in answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    private static final Pattern HIDDEN_FIELD = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    /**
     * What the sign-in handed back to the redirect URI: the query of a redirect (response_mode=query)
     * or the hidden fields of the form_post page (MSAL4J 1.26 always asks for form_post).
     */
    static Map<String, String> handedBack(HttpResponse<String> answer) {
        if (answer.statusCode() == 302) {
            return io.mailbridge.sandbox.http.Request.parseForm(URI.create(answer.headers().firstValue("Location").orElseThrow()).getRawQuery());
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Matcher field = HIDDEN_FIELD.matcher(answer.body());
        while (field.find()) {
            fields.put(field.group(1), unescape(field.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** A full sign-in with PKCE and the code redeemed by MSAL4J. */
    IAuthenticationResult signInAndRedeem(ConfidentialClientApplication app, SandboxUser user, Set<String> scopes) {
        Pkce pkce = Pkce.create();
        HttpResponse<String> redirect = signIn(authorizeUrl(app, scopes, "state-1", pkce, ResponseMode.QUERY), user, "accept");
        String code = handedBack(redirect).get("code");
        return app.acquireToken(AuthorizationCodeParameters.builder(code, URI.create(REDIRECT_URI)).scopes(scopes)
                .codeVerifier(pkce.verifier()).build()).join();
    }

    String token(String tenantId, SandboxUser user, Set<String> scopes) {
        return signInAndRedeem(msal(tenantId), user, scopes).accessToken();
    }
}
