package io.mailbridge.mailbox;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every way a connection's state may change: the states each may start from, the state it ends in,
 * and the event the CRM is sent when it happens. A transition asked for from any other state is
 * not made, so late news (a sync failing after the CRM disconnected the mailbox) cannot undo a
 * later decision. {@link ConnectionLifecycle} makes them; nothing else changes a state.
 */
public enum ConnectionTransition {
    /** A sign-in succeeded (connect, or reconnect after any state); the CRM sent the user, so it needs no event. */
    RECONNECT(EnumSet.allOf(ConnectionState.class), ConnectionState.ACTIVE, null),
    /** Microsoft refused the stored sign-in: the user must connect again. */
    NEED_REAUTH(EnumSet.of(ConnectionState.ACTIVE), ConnectionState.NEEDS_REAUTH, "mailbox.needs_reauth"),
    /** A permanent problem reconnecting does not fix, e.g. no Exchange Online mailbox. */
    FAIL(EnumSet.of(ConnectionState.ACTIVE, ConnectionState.NEEDS_REAUTH), ConnectionState.FAILED, "mailbox.failed"),
    /** The CRM asked for it, so it needs no event. */
    DISCONNECT(EnumSet.complementOf(EnumSet.of(ConnectionState.DISCONNECTED)), ConnectionState.DISCONNECTED, null);

    private final Set<ConnectionState> from;
    private final ConnectionState to;
    private final String crmEvent;

    ConnectionTransition(Set<ConnectionState> from, ConnectionState to, String crmEvent) {
        this.from = from;
        this.to = to;
        this.crmEvent = crmEvent;
    }

    public boolean allowedFrom(ConnectionState state) {
        return from.contains(state);
    }

    public ConnectionState target() {
        return to;
    }

    /** The type of the event the CRM is sent when the transition is made, if any. */
    public Optional<String> crmEvent() {
        return Optional.ofNullable(crmEvent);
    }

    /**
     * The connection after the transition. {@code reason} says why, for the CRM; the stored last error keeps
     * it (worded for people) where the connection now waits for someone to act, and clears otherwise.
     */
    MailboxConnection applyTo(MailboxConnection connection, String reason, Instant now) {
        String lastError = switch (this) {
            case NEED_REAUTH -> "Microsoft asked the user to sign in again (" + reason + ")";
            case FAIL -> reason;
            case RECONNECT, DISCONNECT -> null;
        };
        return connection.withState(to, lastError, now);
    }
}
