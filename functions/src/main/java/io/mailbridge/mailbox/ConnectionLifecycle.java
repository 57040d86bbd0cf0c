package io.mailbridge.mailbox;

import io.mailbridge.crm.CrmEvent;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.telemetry.Metrics;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a stored connection changes state: a {@link ConnectionTransition} is made only from
 * the states it allows (decided on the latest version, written conditionally), and the CRM hears of
 * it exactly when it was made. The connect flow writes a new or reconnected connection with its
 * mailbox claim in one transaction instead, in the state {@link ConnectionTransition#RECONNECT} ends in.
 */
public final class ConnectionLifecycle {
    private final MailboxConnections connections;
    private final CrmEvents events;
    private final Metrics metrics;

    public ConnectionLifecycle(MailboxConnections connections, CrmEvents events, Metrics metrics) {
        this.connections = connections;
        this.events = events;
        this.metrics = metrics;
    }

    /** True when the transition was made; false (nothing written, nothing sent) when the connection's state does not allow it. */
    public boolean apply(String accountId, String userId, ConnectionTransition transition, String reason, Instant now) {
        Optional<MailboxConnection> changed = connections.apply(accountId, userId, transition, reason, now);
        changed.ifPresent(connection -> metrics.connectionTransition(connection.state().name()));
        changed.ifPresent(connection -> transition.crmEvent().ifPresent(type -> events.publish(new CrmEvent(
                type + ":" + accountId + ":" + userId + ":" + now.toEpochMilli(), type, accountId, userId, now,
                Map.of("mailbox", connection.mailboxAddress(), "reason", reason)))));
        return changed.isPresent();
    }
}
