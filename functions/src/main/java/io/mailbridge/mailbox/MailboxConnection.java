package io.mailbridge.mailbox;

import io.mailbridge.config.Region;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A CRM user's connected Microsoft 365 mailbox: one per user of a CRM account. Tokens are kept
 * apart from this record, so it can be shown through the API as it is.
 */
public record MailboxConnection(
        String accountId,
        String userId,
        String mailboxAddress,
        ConnectionState state,
        SyncMode mode,
        Profile profile,
        Region region,
        List<String> aliases,
        String bccAddress,
        String lastError,
        Instant createdAt,
        Instant updatedAt) {

    public MailboxConnection {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(mailboxAddress, "mailboxAddress");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(region, "region");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public MailboxConnection withState(ConnectionState newState, String error, Instant now) {
        return new MailboxConnection(accountId, userId, mailboxAddress, newState, mode, profile, region, aliases,
                bccAddress, error, createdAt, now);
    }

    public MailboxConnection withMode(SyncMode newMode, Instant now) {
        return new MailboxConnection(accountId, userId, mailboxAddress, state, newMode, profile, region, aliases,
                bccAddress, lastError, createdAt, now);
    }

    public MailboxConnection withAliases(List<String> newAliases, Instant now) {
        return new MailboxConnection(accountId, userId, mailboxAddress, state, mode, profile, region, newAliases,
                bccAddress, lastError, createdAt, now);
    }
}
