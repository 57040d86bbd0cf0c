package io.mailbridge.mailboxapi;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.graph.MailboxTokens;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.inbound.SyncStates;
import io.mailbridge.mailbox.AuditLog;
import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sentsync.Reconciliations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/** What the CRM can do with a connected mailbox: read its status, change its mode, disconnect it. */
public final class MailboxService {
    private static final Logger LOG = Logger.getLogger(MailboxService.class.getName());

    private final MailboxConnections connections;
    private final ConnectionLifecycle lifecycle;
    private final Subscriptions subscriptions;
    private final GraphSubscriptions graphSubscriptions;
    private final MailboxTokens tokens;
    private final MailboxGraph mailboxGraph;
    private final AuditLog audit;
    private final SyncStates syncStates;
    private final Reconciliations reconciliations;
    private final Clock clock;

    public MailboxService(MailboxConnections connections, ConnectionLifecycle lifecycle, Subscriptions subscriptions,
            GraphSubscriptions graphSubscriptions, MailboxTokens tokens, MailboxGraph mailboxGraph, AuditLog audit, SyncStates syncStates,
            Reconciliations reconciliations, Clock clock) {
        this.connections = connections;
        this.lifecycle = lifecycle;
        this.subscriptions = subscriptions;
        this.graphSubscriptions = graphSubscriptions;
        this.tokens = tokens;
        this.mailboxGraph = mailboxGraph;
        this.audit = audit;
        this.syncStates = syncStates;
        this.reconciliations = reconciliations;
        this.clock = clock;
    }

    public Optional<MailboxStatus> status(String accountId, String userId) {
        return connections.find(accountId, userId)
                .map(stored -> MailboxStatus.of(stored.value(), subscriptions.of(accountId, userId), syncStates.of(accountId, userId),
                        reconciliations.of(accountId, userId)));
    }

    /** Switches 2-way and 1-way; an active mailbox's subscriptions follow at once, others' at reconnect. */
    public Optional<MailboxStatus> changeMode(String accountId, String userId, SyncMode mode) {
        if (connections.find(accountId, userId).isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        MailboxConnection changed = connections.update(accountId, userId, c -> c.withMode(mode, now));
        if (changed.state() == ConnectionState.ACTIVE) {
            try {
                graphSubscriptions.align(graph(changed), changed);
            } catch (MicrosoftException e) {
                LOG.warning(() -> "Subscriptions of " + accountId + "/" + userId + " not aligned to " + mode + ": " + e.getMessage());
                connections.update(accountId, userId, c -> c.withState(c.state(),
                        "Change notifications could not follow the mode change yet (" + e.errorCode() + ")", clock.instant()));
            }
        }
        audit.record(new AuditLog.Entry(accountId, userId, "mode_changed", mode.name(), now));
        return status(accountId, userId);
    }

    /**
     * Stops syncing at once, then deletes the subscriptions, wipes the tokens and frees the mailbox for
     * the account's other users. The connection record stays, DISCONNECTED, for audit. Repeating it is harmless.
     */
    public Optional<MailboxStatus> disconnect(String accountId, String userId) {
        Optional<MailboxConnection> found = connections.find(accountId, userId).map(s -> s.value());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MailboxConnection connection = found.get();
        Optional<GraphServiceClient> graph = Optional.empty();
        if (connection.state() == ConnectionState.ACTIVE) {
            try {
                graph = Optional.of(graph(connection));
            } catch (MicrosoftException e) {
                LOG.info(() -> "Disconnecting " + accountId + "/" + userId + " without Graph: " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        lifecycle.apply(accountId, userId, ConnectionTransition.DISCONNECT, "the CRM disconnected the mailbox", now);
        deleteSubscriptions(graph, accountId, userId);
        tokens.forget(accountId, userId);
        connections.releaseMailbox(accountId, connection.mailboxAddress());
        audit.record(new AuditLog.Entry(accountId, userId, "disconnected", connection.mailboxAddress(), now));
        return status(accountId, userId);
    }

    private void deleteSubscriptions(Optional<GraphServiceClient> graph, String accountId, String userId) {
        if (graph.isPresent()) {
            try {
                graphSubscriptions.deleteAll(graph.get(), accountId, userId);
                return;
            } catch (MicrosoftException e) {
                LOG.info(() -> "Graph kept subscriptions of " + accountId + "/" + userId + "; they expire on their own: " + e.getMessage());
            }
        }
        // Without a token Graph's copies expire by themselves; notifications for them are refused as unknown.
        subscriptions.of(accountId, userId).forEach(subscriptions::delete);
    }

    private GraphServiceClient graph(MailboxConnection connection) {
        return mailboxGraph.open(connection).client();
    }
}
