package io.mailbridge.sandbox;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An app registration: its client id and secret, the redirect URIs registered for it (more can be
 * registered at run time, see {@link Sandbox#registerRedirectUris}), and the application
 * permissions an app-only token carries.
 */
public record AppRegistration(String clientId, String clientSecret, String displayName, List<String> redirectUris,
                              Set<String> applicationPermissions) {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1");

    public AppRegistration {
        redirectUris = List.copyOf(redirectUris);
        applicationPermissions = Set.copyOf(applicationPermissions);
    }

    /** Whether a requested redirect_uri matches one registered here or among {@code alsoRegistered}. */
    public boolean allowsRedirect(String requested, Collection<String> alsoRegistered) {
        return Stream.concat(redirectUris.stream(), alsoRegistered.stream()).anyMatch(registered -> redirectMatches(registered, requested));
    }

    /**
     * Entra's rule: exactly equal, except that for http loopback redirect URIs (localhost or
     * 127.0.0.1) the port is ignored, as RFC 8252 asks for apps on ephemeral ports.
     */
    public static boolean redirectMatches(String registered, String requested) {
        if (registered.equals(requested)) {
            return true;
        }
        try {
            URI want = URI.create(registered);
            URI got = URI.create(requested);
            return isHttpLoopback(want) && isHttpLoopback(got)
                    && want.getHost().toLowerCase(Locale.ROOT).equals(got.getHost().toLowerCase(Locale.ROOT))
                    && Objects.equals(want.getRawPath(), got.getRawPath()) && Objects.equals(want.getRawQuery(), got.getRawQuery())
                    && got.getRawFragment() == null && got.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isHttpLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }
}
