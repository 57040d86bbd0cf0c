package io.mailbridge.sandbox.identity;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * What a verified access token allows: delegated (a user and scopes) or app-only (roles, no user).
 * Scope and role names are Graph's short ones, e.g. Mail.ReadWrite.
 */
public record AccessGrant(String userId, String tenantId, String clientId, Set<String> scopes, Set<String> roles, Instant expiresAt) {

    public AccessGrant {
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
    }

    public boolean appOnly() {
        return userId == null;
    }

    /** True when the token carries any of the permissions (scope for delegated, role for app-only). */
    public boolean permitsAnyOf(Collection<String> permissions) {
        Set<String> held = appOnly() ? roles : scopes;
        return permissions.stream().anyMatch(wanted -> held.stream().anyMatch(have -> have.equalsIgnoreCase(wanted)));
    }
}
