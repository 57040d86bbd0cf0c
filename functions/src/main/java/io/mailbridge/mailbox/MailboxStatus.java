package io.mailbridge.mailbox;

import io.mailbridge.config.Region;
import io.mailbridge.graph.MailSubscription;
import java.time.Instant;
import java.util.List;

/** A connection as the CRM sees it through the mailbox API. */
public record MailboxStatus(
        String accountId,
        String userId,
        String mailbox,
        ConnectionState state,
        SyncMode mode,
        Profile profile,
        Region region,
        List<String> aliases,
        String bccAddress,
        String lastError,
        List<Subscription> subscriptions,
        Instant createdAt,
        Instant updatedAt) {

    /** A folder the product is notified about, and until when. */
    public record Subscription(String folder, Instant expiresAt) {}

    static MailboxStatus of(MailboxConnection c, List<MailSubscription> subscriptions) {
        return new MailboxStatus(c.accountId(), c.userId(), c.mailboxAddress(), c.state(), c.mode(), c.profile(), c.region(),
                c.aliases(), c.bccAddress(), c.lastError(),
                subscriptions.stream().map(s -> new Subscription(s.folder(), s.expiresAt())).toList(), c.createdAt(), c.updatedAt());
    }
}
