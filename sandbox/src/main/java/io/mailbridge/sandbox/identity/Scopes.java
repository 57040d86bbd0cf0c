package io.mailbridge.sandbox.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Requested scopes as the identity platform reads them: OpenID Connect scopes, and Graph scopes
 * written short ("Mail.Read") or with the resource ("https://graph.microsoft.com/Mail.Read").
 */
final class Scopes {
    static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    private static final Set<String> OIDC = Set.of("openid", "profile", "email", "offline_access");

    private Scopes() {
    }

    static List<String> parse(String scope) {
        List<String> scopes = new ArrayList<>();
        if (scope != null) {
            for (String item : scope.trim().split("\\s+")) {
                if (!item.isEmpty() && !scopes.contains(item)) {
                    scopes.add(item);
                }
            }
        }
        return scopes;
    }

    static boolean isOidc(String scope) {
        return OIDC.contains(scope.toLowerCase(Locale.ROOT));
    }

    /** The Graph permission a requested scope names, or null for an OpenID Connect scope. */
    static String graphPermission(String scope) {
        if (isOidc(scope)) {
            return null;
        }
        for (String prefix : List.of(GRAPH_RESOURCE + "/", GRAPH_APP_ID + "/")) {
            if (scope.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return scope.substring(prefix.length());
            }
        }
        return scope;
    }

    static Set<String> graphPermissions(List<String> scopes) {
        Set<String> permissions = new LinkedHashSet<>();
        for (String scope : scopes) {
            String permission = graphPermission(scope);
            if (permission != null) {
                permissions.add(permission);
            }
        }
        return permissions;
    }

    static boolean contains(List<String> scopes, String wanted) {
        return scopes.stream().anyMatch(scope -> scope.equalsIgnoreCase(wanted));
    }
}
