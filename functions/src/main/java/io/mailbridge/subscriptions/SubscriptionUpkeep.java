package io.mailbridge.subscriptions;

import io.mailbridge.inbound.InboundSync;
import io.mailbridge.webhook.NotificationIntake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionJob;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Stored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps every syncing connection subscribed: renews subscriptions well before they expire, answers
 * Graph's lifecycle events, and recreates what Graph lost; each gap is followed by a catch-up run,
 * because mail may have arrived while no notification could.
 */
public final class SubscriptionUpkeep {
    private static final Logger LOG = Logger.getLogger(SubscriptionUpkeep.class.getName());
    /** Renewal starts this long before expiry, so a few failed renewal runs still leave time. */
    static final Duration RENEW_BEFORE = Duration.ofDays(2);
    /** A run's share of the one-time index backfill: with the fan-out, well inside host.json's 10-minute functionTimeout. */
    static final Duration BACKFILL_BUDGET = Duration.ofMinutes(4);

    private final Subscriptions subscriptions;
    private final GraphSubscriptions graphSubscriptions;
    private final MailboxConnections connections;
    private final MailboxGraph mailboxGraph;
    private final InboundSync sync;
    private final QueueFanOut fanOut;
    private final Clock clock;

    public SubscriptionUpkeep(Subscriptions subscriptions, GraphSubscriptions graphSubscriptions, MailboxConnections connections,
            MailboxGraph mailboxGraph, InboundSync sync, QueueProducer queue, Clock clock) {
        this.subscriptions = subscriptions;
        this.graphSubscriptions = graphSubscriptions;
        this.connections = connections;
        this.mailboxGraph = mailboxGraph;
        this.sync = sync;
        this.fanOut = new QueueFanOut(queue);
        this.clock = clock;
    }

    /**
     * One queued lifecycle POST: reauthorizationRequired, subscriptionRemoved or missed. A subscription Graph
     * removed is made again at once; if Graph cannot be reached for that just now, the message fails after the
     * rest is done, so the queue brings it back in seconds rather than leaving the mailbox to the timer.
     */
    public void handle(String queueMessage) {
        NotificationIntake.Batch batch;
        try {
            batch = Json.MAPPER.readValue(queueMessage, NotificationIntake.Batch.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A subscription-events message is not a batch: " + e.getOriginalMessage());
        }
        List<MicrosoftException> unhealed = new ArrayList<>();
        for (NotificationIntake.Change event : batch.changes()) {
            Optional<MailboxConnection> connection = syncing(event.accountId(), event.userId());
            if (connection.isEmpty()) {
                continue;
            }
            LOG.info(() -> "Lifecycle event " + event.kind() + " for subscription " + event.subscriptionId());
            switch (event.kind()) {
                case "reauthorizationRequired" -> subscriptions.find(event.subscriptionId()).stream()
                        .filter(s -> s.accountId().equals(event.accountId()) && s.userId().equals(event.userId()))
                        .findFirst().ifPresent(subscription -> keep(connection.get(), subscription));
                case "subscriptionRemoved" -> {
                    // Only this connection's record: a connection sharing the id (older records) hears its own event.
                    subscriptions.find(event.subscriptionId()).stream()
                            .filter(s -> s.accountId().equals(event.accountId()) && s.userId().equals(event.userId()))
                            .forEach(subscriptions::delete);
                    resubscribe(connection.get()).ifPresent(unhealed::add);
                }
                default -> sync.requestCatchUp(connection.get(), Duration.ZERO);
            }
        }
        if (!unhealed.isEmpty()) {
            throw new IllegalStateException(unhealed.size() + " removed subscription(s) not yet made again; the queue retries",
                    unhealed.get(0));
        }
    }

    /**
     * The renewal timer's part: one upkeep job per active connection, a page of connections at a time
     * ({@link QueueFanOut}); then, until it is through, a few minutes of giving records stored before the subscription
     * index their pointers (jobs read by scanning until then, so a slow or failed backfill delays no job). Returns how
     * many jobs were queued.
     */
    public int fanOut() {
        int queued = fanOut.run(connections::forEachPage, connection -> connection.state() == ConnectionState.ACTIVE
                ? Optional.of(new QueueFanOut.Job(StorageNames.SUBSCRIPTION_RENEWAL_QUEUE, ConnectionJob.of(connection).toJson()))
                : Optional.empty());
        subscriptions.backfillIndex(BACKFILL_BUDGET);
        return queued;
    }

    /**
     * One renewal job: reconciles the stored subscriptions of the connection's mailbox with Graph's list, renews the
     * connection's that expire soon and resubscribes what it is missing. Microsoft's refusals are logged and left to
     * the next timer run; any other failure fails the message, which the queue retries and then parks in its poison queue.
     */
    public void renew(String queueMessage) {
        ConnectionJob job = ConnectionJob.parse(queueMessage, StorageNames.SUBSCRIPTION_RENEWAL_QUEUE);
        Optional<MailboxConnection> found = connections.find(job.accountId(), job.userId()).map(Stored::value)
                .filter(c -> c.state() == ConnectionState.ACTIVE);
        if (found.isEmpty()) {
            return;
        }
        MailboxConnection connection = found.get();
        // Read before Graph's list, as reconcile requires.
        List<MailSubscription> stored = subscriptions.onMailbox(connection.mailboxAddress());
        try {
            upkeep(connection, stored);
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Subscriptions of " + connection.logName() + " not reconciled: " + e.getMessage());
        }
    }

    private void upkeep(MailboxConnection connection, List<MailSubscription> stored) {
        GraphSubscriptions.Reconciliation reconciled = graphSubscriptions.reconcile(graph(connection), stored);
        if (!reconciled.forgotten().isEmpty() || !reconciled.orphansDeleted().isEmpty()) {
            LOG.info(() -> "Reconciled " + connection.logName() + " with Graph: forgot " + reconciled.forgotten().size()
                    + " it no longer had, deleted " + reconciled.orphansDeleted().size() + " no connection owned");
        }
        Instant renewBy = clock.instant().plus(RENEW_BEFORE);
        if (isSyncing(connection)) {
            stored.stream().filter(s -> s.accountId().equals(connection.accountId()) && s.userId().equals(connection.userId())
                    && s.expiresAt().isBefore(renewBy) && !reconciled.forgotten().contains(s)).forEach(s -> keep(connection, s));
        }
        if (!graphSubscriptions.align(graph(connection), connection).isEmpty()) {
            sync.requestCatchUp(connection, Duration.ZERO);
        }
    }

    /** Renews (which also reauthorizes); a subscription Graph lost is made again, followed by a catch-up. */
    private void keep(MailboxConnection connection, MailSubscription subscription) {
        try {
            if (!graphSubscriptions.renew(graph(connection), subscription)) {
                resubscribe(connection);
            }
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Could not renew subscription " + subscription.id() + ": " + e.getMessage());
        }
    }

    /** Subscribes again and catches up; a failure that a retry in a moment may not meet is returned. */
    private Optional<MicrosoftException> resubscribe(MailboxConnection connection) {
        try {
            graphSubscriptions.align(graph(connection), connection);
            sync.requestCatchUp(connection, Duration.ZERO);
            return Optional.empty();
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Could not resubscribe " + connection.accountId() + "/" + connection.userId() + ": " + e.getMessage());
            return passing(e) ? Optional.of(e) : Optional.empty();
        }
    }

    /** Whether Microsoft may well answer a retry in a moment (throttled, unavailable), unlike a refusal or a lost sign-in. */
    private static boolean passing(MicrosoftException e) {
        return switch (e.failure()) {
            case MicrosoftFailure.Throttled throttled -> true;
            case MicrosoftFailure.Transient failed -> true;
            case MicrosoftFailure.QuotaSpent spent -> false;
            case MicrosoftFailure.Reauthenticate reauthenticate -> false;
            case MicrosoftFailure.MailboxUnusable unusable -> false;
            case MicrosoftFailure.AccessDenied denied -> false;
            case MicrosoftFailure.NotFound notFound -> false;
            case MicrosoftFailure.ResyncRequired resync -> false;
            case MicrosoftFailure.Refused refused -> false;
        };
    }

    private GraphServiceClient graph(MailboxConnection connection) {
        return mailboxGraph.open(connection).client();
    }

    private Optional<MailboxConnection> syncing(String accountId, String userId) {
        return connections.find(accountId, userId).map(s -> s.value()).filter(SubscriptionUpkeep::isSyncing);
    }

    private static boolean isSyncing(MailboxConnection connection) {
        return connection.state() == ConnectionState.ACTIVE && connection.mode() == SyncMode.TWO_WAY;
    }
}
