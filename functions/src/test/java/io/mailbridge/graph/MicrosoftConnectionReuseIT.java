package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.testkit.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token requests (MSAL4J) and Graph calls (Graph SDK) share one pool of TLS connections: connecting mailbox
 * after mailbox, each a token redemption and Graph reads, opens no new connection to Microsoft once the pool
 * is warm. The sandbox counts the connections it accepts; the test's own browser keeps one of its own.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class MicrosoftConnectionReuseIT {
    private static final int MAILBOXES = 5;

    @Test
    void tokenRequestsAndGraphCallsReuseTheSameConnections(SendingStack stack) {
        SendingWorld world = new SendingWorld(stack);
        world.connect("adele.vance@contoso.example", Profile.FULL);
        long warm = stack.sandbox.connectionsOpened();

        for (int i = 0; i < MAILBOXES; i++) {
            world.connect("alex.wilber@contoso.example", Profile.FULL);
        }

        long opened = stack.sandbox.connectionsOpened() - warm;
        // Each connect is a sign-in page, a token redemption and two Graph reads: a connection apiece would be 20.
        assertTrue(opened <= 1, "connections opened for " + MAILBOXES + " sign-ins with their Graph reads: " + opened);
    }
}
