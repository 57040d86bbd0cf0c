package io.mailbridge.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.SyncMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final Subscriptions subscriptions;
    private final GraphSubscriptions graphSubscriptions;
    private final MailboxConnections connections;
    private final MailboxGraph mailboxGraph;
    private final InboundSync sync;
    private final Clock clock;

    public SubscriptionUpkeep(Subscriptions subscriptions, GraphSubscriptions graphSubscriptions, MailboxConnections connections,
            MailboxGraph mailboxGraph, InboundSync sync, Clock clock) {
        this.subscriptions = subscriptions;
        this.graphSubscriptions = graphSubscriptions;
        this.connections = connections;
        this.mailboxGraph = mailboxGraph;
        this.sync = sync;
        this.clock = clock;
    }

    /** One queued lifecycle POST: reauthorizationRequired, subscriptionRemoved or missed. */
    public void handle(String queueMessage) {
        NotificationIntake.Batch batch;
        try {
            batch = Json.MAPPER.readValue(queueMessage, NotificationIntake.Batch.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A subscription-events message is not a batch: " + e.getOriginalMessage());
        }
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
                    subscriptions.find(event.subscriptionId()).forEach(subscriptions::delete);
                    resubscribe(connection.get());
                }
                default -> sync.requestCatchUp(connection.get(), Duration.ZERO);
            }
        }
    }

    /** The renewal timer: renews what expires soon and resubscribes connections that lost a subscription. */
    public void renewAll() {
        Instant renewBy = clock.instant().plus(RENEW_BEFORE);
        Map<String, MailboxConnection> syncing = new LinkedHashMap<>();
        connections.all().stream().filter(SubscriptionUpkeep::isSyncing).forEach(c -> syncing.put(key(c.accountId(), c.userId()), c));
        for (MailSubscription subscription : subscriptions.all()) {
            MailboxConnection connection = syncing.get(key(subscription.accountId(), subscription.userId()));
            if (connection != null && subscription.expiresAt().isBefore(renewBy)) {
                keep(connection, subscription);
            }
        }
        for (MailboxConnection connection : syncing.values()) {
            List<String> have = subscriptions.of(connection.accountId(), connection.userId()).stream().map(MailSubscription::folder).toList();
            if (!have.containsAll(GraphSubscriptions.foldersFor(connection.mode()))) {
                resubscribe(connection);
            }
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

    private void resubscribe(MailboxConnection connection) {
        try {
            graphSubscriptions.align(graph(connection), connection);
            sync.requestCatchUp(connection, Duration.ZERO);
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Could not resubscribe " + connection.accountId() + "/" + connection.userId() + ": " + e.getMessage());
        }
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

    private static String key(String accountId, String userId) {
        return accountId + "\n" + userId;
    }
}
