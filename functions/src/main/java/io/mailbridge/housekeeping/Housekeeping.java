package io.mailbridge.housekeeping;

import io.mailbridge.connect.SignInStates;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.sentsync.SentItemsWriteBack;
import io.mailbridge.storage.FirstUses;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Deletes what is no longer of use and should not stay stored: sign-ins nobody came back from (with
 * their PKCE verifiers), used connect links and API request signatures past their windows, and the
 * mail content of write-backs into Sent Items that will never happen.
 */
public final class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    /** What one sweep deleted. */
    public record Swept(int signInStates, int usedLinks, int usedSignatures, int abandonedWriteBacks) {}

    private final SignInStates signInStates;
    private final FirstUses usedLinks;
    private final FirstUses usedSignatures;
    private final MailboxConnections connections;
    private final SentItemsWriteBack writeBack;
    private final Clock clock;

    public Housekeeping(SignInStates signInStates, FirstUses usedLinks, FirstUses usedSignatures, MailboxConnections connections,
            SentItemsWriteBack writeBack, Clock clock) {
        this.signInStates = signInStates;
        this.usedLinks = usedLinks;
        this.usedSignatures = usedSignatures;
        this.connections = connections;
        this.writeBack = writeBack;
        this.clock = clock;
    }

    public Swept sweep() {
        Instant now = clock.instant();
        int abandoned = connections.all().stream().filter(SentItemsWriteBack::neverWritesBack).mapToInt(writeBack::abandon).sum();
        Swept swept = new Swept(signInStates.sweepExpired(now), usedLinks.sweepExpired(now), usedSignatures.sweepExpired(now), abandoned);
        LOG.info(() -> "Housekeeping deleted " + swept);
        return swept;
    }
}
