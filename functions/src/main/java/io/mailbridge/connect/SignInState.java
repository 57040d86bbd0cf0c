package io.mailbridge.connect;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import java.time.Instant;
import java.util.Objects;

/**
 * What the OAuth callback needs to finish a sign-in, stored under the random {@code state} value
 * sent to Microsoft; single-use and short-lived.
 */
public record SignInState(
        String state,
        String accountId,
        String userId,
        String userEmail,
        SyncMode mode,
        Profile profile,
        String returnUrl,
        String codeVerifier,
        String browserHash,
        Instant expiresAt) {

    public SignInState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(returnUrl, "returnUrl");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(browserHash, "browserHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The same sign-in under a new state and verifier, for another try in the same browser (e.g. a different account). */
    public SignInState retry(String newState, String newVerifier, Instant newExpiry) {
        return new SignInState(newState, accountId, userId, userEmail, mode, profile, returnUrl, newVerifier, browserHash, newExpiry);
    }

    /** The state and the PKCE verifier are secrets until used: never print them. */
    @Override
    public String toString() {
        return "SignInState[account=" + accountId + ", user=" + userId + ", mode=" + mode + ", profile=" + profile
                + ", expiresAt=" + expiresAt + "]";
    }
}
