package io.mailbridge.graph;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import io.mailbridge.config.Settings;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The Microsoft identity platform through MSAL4J: the sign-in URL (authorization code with PKCE),
 * redeeming the code, and silent token refresh from a connection's own serialized token cache.
 */
public final class MicrosoftIdentity {
    private final Settings.Microsoft microsoft;
    private final MicrosoftHttp http;

    public MicrosoftIdentity(Settings.Microsoft microsoft, MicrosoftHttp http) {
        this.microsoft = microsoft;
        this.http = http;
    }

    /** A successful sign-in: who signed in, a token for Graph now, and the cache to keep. */
    public record SignedIn(String homeAccountId, String username, String accessToken, String tokenCache) {
        @Override
        public String toString() {
            return "SignedIn[" + username + ", tokens hidden]";
        }
    }

    /** An access token and, when MSAL refreshed it, the cache to store in place of the old one. */
    public record Token(String accessToken, Optional<String> changedCache) {
        @Override
        public String toString() {
            return "Token[hidden, cache changed=" + changedCache.isPresent() + "]";
        }
    }

    public URI authorizationUrl(URI redirectUri, Set<String> scopes, String state, String codeChallenge, String loginHint) {
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters.builder(redirectUri.toString(), scopes)
                .state(state)
                .codeChallenge(codeChallenge)
                .codeChallengeMethod("S256")
                .responseMode(ResponseMode.QUERY)
                .prompt(Prompt.SELECT_ACCOUNT)
                .loginHint(loginHint)
                .build();
        try {
            return application(new CacheHolder(null)).getAuthorizationRequestUrl(parameters).toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("MSAL built an invalid sign-in URL", e);
        }
    }

    /** Redeems an authorization code (with its PKCE verifier) for tokens. */
    public SignedIn redeem(String code, URI redirectUri, Set<String> scopes, String codeVerifier) {
        CacheHolder cache = new CacheHolder(null);
        IAuthenticationResult result = await(application(cache).acquireToken(
                AuthorizationCodeParameters.builder(code, redirectUri).scopes(scopes).codeVerifier(codeVerifier).build()));
        IAccount account = result.account();
        return new SignedIn(account.homeAccountId(), account.username(), result.accessToken(), cache.serialized());
    }

    /**
     * A Graph access token from the connection's cache, refreshed by MSAL when it has expired, or
     * always when {@code forceRefresh} (Graph refused a token MSAL still thought valid).
     */
    public Token silent(String tokenCache, String homeAccountId, Set<String> scopes, boolean forceRefresh) {
        CacheHolder cache = new CacheHolder(tokenCache);
        ConfidentialClientApplication application = application(cache);
        IAccount account = await(application.getAccounts()).stream()
                .filter(a -> a.homeAccountId().equals(homeAccountId)).findFirst()
                .orElseThrow(() -> new MicrosoftException(new MicrosoftFailure.Reauthenticate(MicrosoftFailure.Details.local("no_account",
                        "The stored token cache holds no account for this connection"))));
        IAuthenticationResult result;
        try {
            result = await(application.acquireTokenSilently(SilentParameters.builder(scopes, account).forceRefresh(forceRefresh).build()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("The configured Entra authority is not a URL", e);
        }
        return new Token(result.accessToken(), cache.changed ? Optional.of(cache.serialized()) : Optional.empty());
    }

    private ConfidentialClientApplication application(CacheHolder cache) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(microsoft.clientId(), ClientCredentialFactory.createFromSecret(microsoft.clientSecret()))
                    .authority(microsoft.authority().toString())
                    // The authority is configured per stamp; asking Microsoft to discover it again would only add
                    // a call at cold start (and fail in a sovereign or local cloud).
                    .instanceDiscovery(false)
                    .httpClient(http)
                    .setTokenCacheAccessAspect(cache);
            microsoft.instanceDiscovery().ifPresent(builder::aadInstanceDiscoveryResponse);
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("The configured Entra authority is not a URL", e);
        }
    }

    /** Unwraps MSAL's futures; a failure comes out classified. */
    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MicrosoftException(MicrosoftFailure.interrupted());
        } catch (ExecutionException | CompletionException e) {
            throw new MicrosoftException(MicrosoftFailure.ofIdentity(e.getCause() == null ? e : e.getCause()));
        }
    }

    /** Holds one connection's serialized cache for the life of one MSAL application. */
    private static final class CacheHolder implements ITokenCacheAccessAspect {
        private String data;
        private boolean changed;

        CacheHolder(String data) {
            this.data = data;
        }

        @Override
        public void beforeCacheAccess(ITokenCacheAccessContext context) {
            if (data != null) {
                context.tokenCache().deserialize(data);
            }
        }

        @Override
        public void afterCacheAccess(ITokenCacheAccessContext context) {
            if (context.hasCacheChanged()) {
                data = context.tokenCache().serialize();
                changed = true;
            }
        }

        String serialized() {
            return data;
        }
    }
}
