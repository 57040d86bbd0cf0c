package io.mailbridge.sandbox;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * An app registration: its client id and secret, the redirect URIs it may use (none listed means
 * any loopback http or https URI, which suits a function app on a developer's port), and the
 * application permissions an app-only token carries.
 */
public record AppRegistration(String clientId, String clientSecret, String displayName, List<String> redirectUris,
                              Set<String> applicationPermissions) {

    public AppRegistration {
        redirectUris = List.copyOf(redirectUris);
        applicationPermissions = Set.copyOf(applicationPermissions);
    }

    public boolean allowsRedirect(String redirectUri) {
        if (!redirectUris.isEmpty()) {
            return redirectUris.contains(redirectUri);
        }
        try {
            URI uri = URI.create(redirectUri);
            String host = uri.getHost();
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
