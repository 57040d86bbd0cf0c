package io.mailbridge.connect;

import io.mailbridge.RandomTokens;
import io.mailbridge.Sha256;
import io.mailbridge.http.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Ties a sign-in to the browser that started it (RFC 9700 §4.7): the start sets a random cookie, the
 * sign-in state keeps only its hash, and the callback refuses a state that comes back without it.
 * So a Microsoft sign-in URL opened in someone else's browser cannot finish there (login CSRF).
 *
 * <p>Microsoft hands the code back with a cross-site form POST (MSAL4J always asks for
 * response_mode=form_post, which keeps the code out of URLs and logs). Browsers do not send
 * SameSite=Lax cookies on such a POST, so the cookie is SameSite=None, hence Secure; it is HttpOnly,
 * and on an https stamp it carries the {@code __Host-} prefix (no Domain, Path=/, Secure enforced by
 * the browser). Browsers accept Secure cookies from http://localhost, which the local run uses.
 */
public final class BrowserBinding {
    private static final String NAME = "mailbridge-signin";
    private static final String HOST_PREFIX = "__Host-";
    private static final int TOKEN_LENGTH = RandomTokens.next().length();

    private final String cookieName;
    private final String publicOrigin;
    private final Duration lifetime;

    public BrowserBinding(URI publicBaseUrl, Duration lifetime) {
        this.cookieName = "https".equalsIgnoreCase(publicBaseUrl.getScheme()) ? HOST_PREFIX + NAME : NAME;
        this.publicOrigin = origin(publicBaseUrl);
        this.lifetime = lifetime;
    }

    /** The browser's binding: its cookie value (kept when it already has one, so two tabs can sign in) and the cookie to set. */
    public record Binding(String hash, String setCookie) {
        @Override
        public String toString() {
            return "Binding[hidden]";
        }
    }

    public Binding bind(Map<String, String> requestHeaders) {
        String value = presented(requestHeaders).orElseGet(RandomTokens::next);
        String setCookie = cookieName + "=" + value + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; Secure; SameSite=None";
        return new Binding(hash(value), setCookie);
    }

    /** True only when the request carries the cookie whose hash the sign-in state stored. */
    public boolean matches(Map<String, String> requestHeaders, String storedHash) {
        Optional<String> value = presented(requestHeaders);
        return value.isPresent() && storedHash != null && MessageDigest.isEqual(
                hash(value.get()).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A browser posting the start form from another site (a page that auto-submits a captured link)
     * says so in Sec-Fetch-Site, which every current browser sends; older ones are judged by Origin.
     * Our own connect page is same-origin. Clients that send neither are not browsers a page could
     * drive, and the cookie binding still holds for them.
     */
    public boolean isCrossSite(Map<String, String> requestHeaders) {
        Optional<String> fetchSite = Headers.value(requestHeaders, "Sec-Fetch-Site");
        if (fetchSite.isPresent()) {
            return !fetchSite.get().equalsIgnoreCase("same-origin") && !fetchSite.get().equalsIgnoreCase("none");
        }
        return Headers.value(requestHeaders, "Origin").map(o -> !o.trim().toLowerCase(Locale.ROOT).equals(publicOrigin)).orElse(false);
    }

    private Optional<String> presented(Map<String, String> requestHeaders) {
        return Headers.cookie(requestHeaders, cookieName).filter(BrowserBinding::looksIssued);
    }

    private static boolean looksIssued(String value) {
        return value.length() == TOKEN_LENGTH && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    static String hash(String value) {
        return Sha256.base64url(value);
    }

    private static String origin(URI url) {
        String origin = url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT);
        return url.getPort() == -1 ? origin : origin + ":" + url.getPort();
    }
}
