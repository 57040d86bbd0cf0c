package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailbridge.crm.Prospects;
import io.mailbridge.graph.TokenCaches;
import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.support.NoTelemetry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mailbox the CRM disconnects while a sync of it is under way: when the sync's failure path runs
 * afterwards, the connection stays DISCONNECTED and the CRM hears of no failure. Isaiah's mailbox is
 * on-premises, so every mail call the sync makes answers MailboxNotEnabledForRESTAPI.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class FolderSyncDisconnectIT {
    private static final String ISAIAH = "isaiah.langer@contoso.example";

    private final SendingStack stack;
    private final SendingWorld world;
    private final MailboxConnections connections;
    private final ConnectionLifecycle lifecycle;
    private final FolderSync folderSync;

    FolderSyncDisconnectIT(SendingStack stack) {
        this.stack = stack;
        this.world = new SendingWorld(stack);
        this.connections = new MailboxConnections(stack.storage);
        this.lifecycle = new ConnectionLifecycle(connections, world.events(), NoTelemetry.METRICS);
        Prospects prospects = new Prospects(stack.storage);
        this.folderSync = new FolderSync(new SyncStates(stack.storage), world.mailboxGraph(), prospects,
                new MailDelivery(prospects, new Deliveries(stack.storage), world.events(), world.clock), lifecycle, world.clock);
    }

    private MailboxConnection stored(SendingWorld.Mailbox mailbox) {
        return connections.find(mailbox.accountId(), mailbox.userId()).orElseThrow().value();
    }

    /** The CRM's disconnect lands after a sync read the connection (returned, ACTIVE), before Graph answers it. */
    private MailboxConnection disconnectedAfterReading(SendingWorld.Mailbox mailbox) {
        MailboxConnection read = stored(mailbox);
        lifecycle.apply(mailbox.accountId(), mailbox.userId(), ConnectionTransition.DISCONNECT, "the CRM disconnected the mailbox",
                world.clock.instant());
        return read;
    }

    /** The mailbox.* events the CRM stand-in received for the mailbox's user, once the app's queue is delivered. */
    private List<String> mailboxEvents(SendingWorld.Mailbox mailbox) {
        world.drain();
        return stack.crm.eventsFor(mailbox.accountId(), mailbox.userId()).stream().map(e -> e.type())
                .filter(type -> type.startsWith("mailbox.")).toList();
    }

    @Test
    void anActiveMailboxWithoutExchangeOnlineFailsAndTheCrmIsToldOnce() {
        SendingWorld.Mailbox isaiah = world.connectWithoutLookingAtTheMailbox(ISAIAH, Profile.FULL);

        assertInstanceOf(FolderSync.Result.Stopped.class, folderSync.sync(stored(isaiah), "inbox"));
        assertInstanceOf(FolderSync.Result.Stopped.class, folderSync.sync(stored(isaiah), "inbox"));

        assertEquals(ConnectionState.FAILED, stored(isaiah).state());
        assertEquals(List.of("mailbox.failed"), mailboxEvents(isaiah));
    }

    @Test
    void aDisconnectDuringTheSyncIsNotUndoneByItsFailure() {
        SendingWorld.Mailbox isaiah = world.connectWithoutLookingAtTheMailbox(ISAIAH, Profile.FULL);
        MailboxConnection whenTheSyncBegan = disconnectedAfterReading(isaiah);

        assertInstanceOf(FolderSync.Result.Stopped.class, folderSync.sync(whenTheSyncBegan, "inbox"));

        assertEquals(ConnectionState.DISCONNECTED, stored(isaiah).state());
        assertEquals(List.of(), mailboxEvents(isaiah));
    }

    @Test
    void aDisconnectThatWipedTheTokensIsNotTurnedIntoNeedsReauth() {
        SendingWorld.Mailbox isaiah = world.connectWithoutLookingAtTheMailbox(ISAIAH, Profile.FULL);
        MailboxConnection whenTheSyncBegan = disconnectedAfterReading(isaiah);
        new TokenCaches(stack.storage).delete(isaiah.accountId(), isaiah.userId());

        assertInstanceOf(FolderSync.Result.Stopped.class, folderSync.sync(whenTheSyncBegan, "inbox"));

        assertEquals(ConnectionState.DISCONNECTED, stored(isaiah).state());
        assertEquals(List.of(), mailboxEvents(isaiah));
    }
}
