package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.testkit.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token requests (MSAL4J) and Graph calls (Graph SDK) share one pool of TLS connections: connecting mailbox
 * after mailbox, each a token redemption and Graph reads, goes over one connection to Microsoft. The sandbox
 * counts the connections it accepts; the test's own browser keeps one of its own.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class MicrosoftConnectionReuseIT {
    private static final int MAILBOXES = 5;

    @Test
    void tokenRequestsAndGraphCallsShareOneConnection(SendingStack stack) {
        long before = stack.sandbox.connectionsOpened();
        SendingWorld world = new SendingWorld(stack);
        for (int i = 0; i < MAILBOXES; i++) {
            world.connect(i % 2 == 0 ? "adele.vance@contoso.example" : "alex.wilber@contoso.example", Profile.FULL);
        }

        long opened = stack.sandbox.connectionsOpened() - before;
        // Each connect is a sign-in page (the test's browser), a token redemption (MSAL4J) and Graph reads (Graph SDK):
        // the browser keeps one connection and the app's one pool serves both MSAL4J and the Graph SDK with another.
        assertEquals(2, opened, "connections opened for " + MAILBOXES + " sign-ins with their Graph reads");
    }
}
