package io.mailbridge.graph;

import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.util.Optional;

/**
 * Hands out Graph access tokens for connections, from their encrypted MSAL caches. A refreshed
 * cache is written back conditionally; when Microsoft refuses the stored sign-in, the connection
 * becomes NEEDS_REAUTH and the CRM is told once.
 */
public final class MailboxTokens {
    private final TokenCaches caches;
    private final TokenCipher cipher;
    private final MicrosoftIdentity identity;
    private final ConnectionLifecycle lifecycle;
    private final Clock clock;

    public MailboxTokens(TokenCaches caches, TokenCipher cipher, MicrosoftIdentity identity, ConnectionLifecycle lifecycle, Clock clock) {
        this.caches = caches;
        this.cipher = cipher;
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** Keeps the cache of a fresh sign-in, replacing any earlier one of the same connection. */
    public void store(String accountId, String userId, MicrosoftIdentity.SignedIn signedIn) {
        caches.save(new TokenCaches.SealedCache(accountId, userId, signedIn.homeAccountId(),
                cipher.seal(signedIn.tokenCache(), TokenCaches.binding(accountId, userId)), clock.instant()));
    }

    /** Wipes the connection's tokens (disconnect). */
    public void forget(String accountId, String userId) {
        caches.delete(accountId, userId);
    }

    /**
     * A token for the mailbox, and the MSAL home account id of its user, "&lt;object id&gt;.&lt;tenant id&gt;": the
     * mailbox's immutable id, the same in every CRM account that connects it.
     */
    public record GraphAccess(String accessToken, String homeAccountId) {
        /** The user's Graph object id (batch steps must name the user). */
        public String userObjectId() {
            int dot = homeAccountId.indexOf('.');
            return dot < 0 ? homeAccountId : homeAccountId.substring(0, dot);
        }

        @Override
        public String toString() {
            return "GraphAccess[token hidden, account " + homeAccountId + "]";
        }
    }

    /** The MSAL home account id of the connection's sign-in (see {@link GraphAccess}), without touching its tokens. */
    public Optional<String> homeAccountId(String accountId, String userId) {
        return caches.find(accountId, userId).map(stored -> stored.value().homeAccountId());
    }

    /**
     * A valid access token for the connection's mailbox.
     *
     * @throws MicrosoftException {@link MicrosoftFailure.Reauthenticate} when the user must connect again (the connection is
     *     marked), another kind when Microsoft cannot answer now
     */
    public String accessToken(MailboxConnection connection) {
        return access(connection).accessToken();
    }

    /** Like {@link #accessToken}, with the signed-in user's object id. */
    public GraphAccess access(MailboxConnection connection) {
        return access(connection, false);
    }

    /** With {@code forceRefresh}, a new token from the refresh token even when the cached one looks valid. */
    public GraphAccess access(MailboxConnection connection, boolean forceRefresh) {
        if (connection.state() != ConnectionState.ACTIVE) {
            throw reauthenticate("not_active", "The connection is " + connection.state());
        }
        String accountId = connection.accountId();
        String userId = connection.userId();
        Stored<TokenCaches.SealedCache> stored = caches.find(accountId, userId)
                .orElseThrow(() -> markNeedsReauth(connection, reauthenticate("no_tokens", "No tokens are stored for the connection")));
        try {
            return refreshFrom(stored, connection, forceRefresh);
        } catch (MicrosoftException refused) {
            if (!signInRefused(refused)) {
                throw refused;
            }
            // Another refresh may have stored a newer cache meanwhile (strict refresh token rotation): try that once.
            Stored<TokenCaches.SealedCache> latest = caches.find(accountId, userId).orElse(stored);
            if (!latest.etag().equals(stored.etag())) {
                try {
                    return refreshFrom(latest, connection, forceRefresh);
                } catch (MicrosoftException again) {
                    throw signInRefused(again) ? markNeedsReauth(connection, again) : again;
                }
            }
            throw markNeedsReauth(connection, refused);
        }
    }

    private GraphAccess refreshFrom(Stored<TokenCaches.SealedCache> stored, MailboxConnection connection, boolean forceRefresh) {
        TokenCaches.SealedCache sealed = stored.value();
        String binding = TokenCaches.binding(sealed.accountId(), sealed.userId());
        String cache;
        try {
            cache = cipher.open(sealed.sealed(), binding);
        } catch (TokenCipher.TokenCipherException e) {
            // E.g. its key was retired before the cache was rewritten: only a new sign-in helps.
            throw reauthenticate("token_key_unavailable", e.getMessage());
        }
        MicrosoftIdentity.Token token = identity.silent(cache, sealed.homeAccountId(), connection.profile().graphScopes(), forceRefresh);
        if (token.changedCache().isPresent() || cipher.isStale(sealed.sealed())) {
            String latest = token.changedCache().orElse(cache);
            try {
                caches.replace(stored, new TokenCaches.SealedCache(sealed.accountId(), sealed.userId(), sealed.homeAccountId(),
                        cipher.seal(latest, binding), clock.instant()));
            } catch (ConcurrentUpdateException e) {
                // A concurrent refresh stored its own, equally new cache; keeping it loses nothing.
            }
        }
        return new GraphAccess(token.accessToken(), sealed.homeAccountId());
    }

    /** Only an ACTIVE connection becomes NEEDS_REAUTH (and the CRM is told once); e.g. a DISCONNECTED one stays so. */
    private MicrosoftException markNeedsReauth(MailboxConnection connection, MicrosoftException cause) {
        lifecycle.apply(connection.accountId(), connection.userId(), ConnectionTransition.NEED_REAUTH, cause.errorCode(), clock.instant());
        return cause;
    }

    /** Only a refused sign-in is worth a try from a newer cache, and only it means the user must connect again. */
    private static boolean signInRefused(MicrosoftException e) {
        return switch (e.failure()) {
            case MicrosoftFailure.Reauthenticate reauthenticate -> true;
            case MicrosoftFailure.Throttled throttled -> false;
            case MicrosoftFailure.Transient failed -> false;
            case MicrosoftFailure.QuotaSpent spent -> false;
            case MicrosoftFailure.MailboxUnusable unusable -> false;
            case MicrosoftFailure.AccessDenied denied -> false;
            case MicrosoftFailure.NotFound notFound -> false;
            case MicrosoftFailure.ResyncRequired resync -> false;
            case MicrosoftFailure.Refused refused -> false;
        };
    }

    private static MicrosoftException reauthenticate(String code, String message) {
        return new MicrosoftException(new MicrosoftFailure.Reauthenticate(MicrosoftFailure.Details.local(code, message)));
    }
}
