package io.mailbridge.graph;

import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.RandomTokens;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.SyncMode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and deletes the Graph subscriptions a connection's mode needs: for 2-way, new mail in the
 * inbox and in Sent Items; for 1-way, none (nothing syncs automatically).
 */
public final class GraphSubscriptions {
    /** Under Graph's 10,080-minute maximum for Outlook resources without resource data. */
    static final Duration LIFETIME = Duration.ofMinutes(10_000);
    public static final String NOTIFICATIONS_ROUTE = "graph/notifications";
    public static final String LIFECYCLE_ROUTE = "graph/lifecycle";

    private final Subscriptions store;
    private final URI publicBaseUrl;
    private final Clock clock;

    public GraphSubscriptions(Subscriptions store, URI publicBaseUrl, Clock clock) {
        this.store = store;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    public static List<String> foldersFor(SyncMode mode) {
        return mode == SyncMode.TWO_WAY ? List.of("inbox", "sentitems") : List.of();
    }

    /** Makes the connection's subscriptions match its mode: creates what is missing, deletes what is not needed. */
    public List<MailSubscription> align(GraphServiceClient graph, MailboxConnection connection) {
        List<String> wanted = foldersFor(connection.mode());
        List<MailSubscription> kept = new ArrayList<>();
        for (MailSubscription existing : store.of(connection.accountId(), connection.userId())) {
            if (wanted.contains(existing.folder()) && kept.stream().noneMatch(k -> k.folder().equals(existing.folder()))) {
                kept.add(existing);
            } else {
                delete(graph, existing);
            }
        }
        for (String folder : wanted) {
            if (kept.stream().noneMatch(k -> k.folder().equals(folder))) {
                kept.add(create(graph, connection, folder));
            }
        }
        return kept;
    }

    /**
     * Extends a subscription's life (also the answer to reauthorizationRequired: a successful renewal
     * reauthorizes it). False when Graph no longer knows it: the caller recreates it.
     */
    public boolean renew(GraphServiceClient graph, MailSubscription subscription) {
        Instant expiresAt = clock.instant().plus(LIFETIME);
        Subscription change = new Subscription();
        change.setExpirationDateTime(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        try {
            Subscription renewed = graph.subscriptions().bySubscriptionId(subscription.id()).patch(change);
            Instant confirmed = renewed != null && renewed.getExpirationDateTime() != null
                    ? renewed.getExpirationDateTime().toInstant() : expiresAt;
            store.find(subscription.id()).forEach(user -> store.save(user.withExpiry(confirmed)));
            return true;
        } catch (RuntimeException e) {
            MicrosoftException failed = MicrosoftException.of(e);
            if (!(failed.failure() instanceof MicrosoftFailure.NotFound)) {
                throw failed;
            }
            store.find(subscription.id()).forEach(store::delete);
            return false;
        }
    }

    /** Deletes every subscription of the connection (disconnect). */
    public void deleteAll(GraphServiceClient graph, String accountId, String userId) {
        store.of(accountId, userId).forEach(subscription -> delete(graph, subscription));
    }

    private MailSubscription create(GraphServiceClient graph, MailboxConnection connection, String folder) {
        // Another CRM account may have connected the same mailbox: Graph allows one subscription per folder, so share it.
        for (MailSubscription existing : store.onFolder(connection.mailboxAddress(), folder)) {
            MailSubscription shared = new MailSubscription(existing.id(), connection.accountId(), connection.userId(),
                    connection.mailboxAddress(), folder, existing.clientStateHash(), existing.expiresAt());
            store.save(shared);
            return shared;
        }
        Instant expiresAt = clock.instant().plus(LIFETIME);
        Subscription request = new Subscription();
        request.setChangeType("created");
        request.setResource("me/mailFolders('" + folder + "')/messages");
        request.setNotificationUrl(url(NOTIFICATIONS_ROUTE));
        request.setLifecycleNotificationUrl(url(LIFECYCLE_ROUTE));
        request.setExpirationDateTime(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        // Fresh for every subscription made; after this call only its hash is kept (renewals do not need it).
        String clientState = RandomTokens.next();
        request.setClientState(clientState);
        Subscription created = MicrosoftException.calling(() -> graph.subscriptions().post(request));
        MailSubscription subscription = new MailSubscription(created.getId(), connection.accountId(), connection.userId(),
                connection.mailboxAddress(), folder, MailSubscription.hashOf(clientState), created.getExpirationDateTime() == null ? expiresAt : created.getExpirationDateTime().toInstant());
        store.save(subscription);
        return subscription;
    }

    /** Stops this connection's use; the subscription itself goes only when no other connection uses it. */
    private void delete(GraphServiceClient graph, MailSubscription subscription) {
        boolean shared = store.find(subscription.id()).stream()
                .anyMatch(other -> !(other.accountId().equals(subscription.accountId()) && other.userId().equals(subscription.userId())));
        if (!shared) {
            try {
                graph.subscriptions().bySubscriptionId(subscription.id()).delete();
            } catch (RuntimeException e) {
                // Already gone at Graph (expired or removed) is what we wanted; anything else is a real failure.
                MicrosoftException failed = MicrosoftException.of(e);
                if (!(failed.failure() instanceof MicrosoftFailure.NotFound)) {
                    throw failed;
                }
            }
        }
        store.delete(subscription);
    }

    private String url(String route) {
        String base = publicBaseUrl.toString();
        return (base.endsWith("/") ? base : base + "/") + "api/" + route;
    }
}
