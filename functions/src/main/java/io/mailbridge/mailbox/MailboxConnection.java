package io.mailbridge.mailbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailbridge.Sha256;
import io.mailbridge.config.Region;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A CRM user's connected Microsoft 365 mailbox: one per user of a CRM account. Tokens are kept
 * apart from this record, so it can be shown through the API as it is.
 */
public record MailboxConnection(
        String accountId,
        String userId,
        // "mailbox" in the mailbox API, which shows this record as it is.
        @JsonProperty("mailbox") String mailboxAddress,
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

    /** How logs name this mailbox: see {@link #logName(String)}. */
    public String logName() {
        return logName(mailboxAddress);
    }

    /**
     * A short stable name for a mailbox address in logs, {@code mailbox#} and 12 hex digits of the SHA-256 of the
     * lower-cased address: the same mailbox reads the same in every line, without logs holding people's addresses.
     */
    public static String logName(String mailboxAddress) {
        return "mailbox#" + Sha256.hex(mailboxAddress.toLowerCase(Locale.ROOT)).substring(0, 12);
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
