package io.mailbridge.mailbox;

import static io.mailbridge.mailbox.ConnectionState.ACTIVE;
import static io.mailbridge.mailbox.ConnectionState.DISCONNECTED;
import static io.mailbridge.mailbox.ConnectionState.FAILED;
import static io.mailbridge.mailbox.ConnectionState.NEEDS_REAUTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailbridge.config.Region;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table: where each transition may start, where it ends, and what the CRM hears. */
class ConnectionTransitionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void eachTransitionStartsOnlyFromItsStates() {
        Map<ConnectionTransition, Set<ConnectionState>> expected = Map.of(
                ConnectionTransition.RECONNECT, EnumSet.allOf(ConnectionState.class),
                ConnectionTransition.NEED_REAUTH, EnumSet.of(ACTIVE),
                ConnectionTransition.FAIL, EnumSet.of(ACTIVE, NEEDS_REAUTH),
                ConnectionTransition.DISCONNECT, EnumSet.of(ACTIVE, NEEDS_REAUTH, FAILED));

        for (ConnectionTransition transition : ConnectionTransition.values()) {
            for (ConnectionState state : ConnectionState.values()) {
                assertEquals(expected.get(transition).contains(state), transition.allowedFrom(state), transition + " from " + state);
            }
        }
    }

    @Test
    void aDisconnectedConnectionOnlyEverComesBackByReconnecting() {
        assertEquals(List.of(ConnectionTransition.RECONNECT), EnumSet.allOf(ConnectionTransition.class).stream()
                .filter(t -> t.allowedFrom(DISCONNECTED)).toList());
    }

    @Test
    void eachTransitionEndsInItsStateAndNamesItsEvent() {
        assertEquals(ACTIVE, ConnectionTransition.RECONNECT.target());
        assertEquals(NEEDS_REAUTH, ConnectionTransition.NEED_REAUTH.target());
        assertEquals(FAILED, ConnectionTransition.FAIL.target());
        assertEquals(DISCONNECTED, ConnectionTransition.DISCONNECT.target());

        assertEquals(Optional.empty(), ConnectionTransition.RECONNECT.crmEvent());
        assertEquals(Optional.of("mailbox.needs_reauth"), ConnectionTransition.NEED_REAUTH.crmEvent());
        assertEquals(Optional.of("mailbox.failed"), ConnectionTransition.FAIL.crmEvent());
        assertEquals(Optional.empty(), ConnectionTransition.DISCONNECT.crmEvent(), "the CRM asked for the disconnect");
    }

    @Test
    void theStoredLastErrorExplainsWhatWaitsForSomeoneAndIsClearedOtherwise() {
        MailboxConnection active = connection(ACTIVE, "an earlier problem");

        MailboxConnection reauth = ConnectionTransition.NEED_REAUTH.applyTo(active, "invalid_grant", T1);
        assertEquals(NEEDS_REAUTH, reauth.state());
        assertEquals("Microsoft asked the user to sign in again (invalid_grant)", reauth.lastError());
        assertEquals(T1, reauth.updatedAt());

        MailboxConnection failed = ConnectionTransition.FAIL.applyTo(reauth, "no Exchange Online mailbox", T1);
        assertEquals(FAILED, failed.state());
        assertEquals("no Exchange Online mailbox", failed.lastError());

        MailboxConnection disconnected = ConnectionTransition.DISCONNECT.applyTo(failed, "the CRM disconnected the mailbox", T1);
        assertEquals(DISCONNECTED, disconnected.state());
        assertNull(disconnected.lastError());
        assertEquals(List.of("ada@contoso.example"), disconnected.aliases(), "everything else is kept");
    }

    private static MailboxConnection connection(ConnectionState state, String lastError) {
        return new MailboxConnection("acct", "ada", "ada@contoso.example", state, SyncMode.TWO_WAY, Profile.FULL, Region.US,
                List.of("ada@contoso.example"), "bcc-1@bcc.example", lastError, T0, T0);
    }
}
