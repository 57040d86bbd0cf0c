package io.mailbridge.connect;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's request for their administrator's approval, stored under the random {@code state} value
 * carried by the admin consent link, so the administrator's return can be told apart from a forged one.
 */
public record AdminConsentRequest(String state, String accountId, String userId, String userEmail, Instant expiresAt) {

    public AdminConsentRequest {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The state proves the link is ours: never print it. */
    @Override
    public String toString() {
        return "AdminConsentRequest[account=" + accountId + ", user=" + userId + ", expiresAt=" + expiresAt + "]";
    }
}
