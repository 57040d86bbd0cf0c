package io.mailbridge.sandbox.identity;

import java.time.Duration;

/**
 * Lifetimes of the identity platform, defaulting to Microsoft's: codes live 10 minutes, access
 * tokens an hour, refresh tokens 90 days of inactivity. Refresh tokens stay usable after rotation
 * as Entra's do, unless singleUseRefreshTokens is set to catch a client that loses a rotated one.
 */
public record IdentitySettings(Duration codeLifetime, Duration accessTokenLifetime, Duration refreshTokenInactivity,
                               boolean singleUseRefreshTokens) {

    public static IdentitySettings defaults() {
        return new IdentitySettings(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(90), false);
    }

    public IdentitySettings withAccessTokenLifetime(Duration lifetime) {
        return new IdentitySettings(codeLifetime, lifetime, refreshTokenInactivity, singleUseRefreshTokens);
    }

    public IdentitySettings withSingleUseRefreshTokens(boolean singleUse) {
        return new IdentitySettings(codeLifetime, accessTokenLifetime, refreshTokenInactivity, singleUse);
    }
}
