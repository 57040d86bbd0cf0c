package io.mailbridge.graph;

import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.models.SubscriptionCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.RandomTokens;
import io.mailbridge.http.PublicUrls;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.SyncMode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates, deletes and reconciles the Graph subscriptions a connection's mode needs: for 2-way, new
 * mail in the inbox and in Sent Items; for 1-way, none (nothing syncs automatically). Each connection
 * has subscriptions of its own: Graph allows several on the same folder (up to 1,000 per mailbox for
 * all apps), so two CRM accounts on one mailbox never depend on each other's.
 */
public final class GraphSubscriptions {
    /** Under Graph's 10,080-minute maximum for Outlook resources without resource data. */
    static final Duration LIFETIME = Duration.ofMinutes(10_000);
    /**
     * How long a subscription at our URL that no record owns is left alone after it was made or renewed: it may be
     * one being created right now, made at Graph and not yet stored. Creating takes seconds (a 10 s handshake at most).
     */
    static final Duration ORPHAN_GRACE = Duration.ofMinutes(10);
    public static final String NOTIFICATIONS_ROUTE = "graph/notifications";
    public static final String LIFECYCLE_ROUTE = "graph/lifecycle";

    /** What reconciling one mailbox changed: stored records Graph no longer had, and subscriptions no record owned. */
    public record Reconciliation(List<MailSubscription> forgotten, List<String> orphansDeleted) {}

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

    /**
     * Makes the connection's stored subscriptions match its mode: creates what is missing, deletes what is not
     * needed. Returns the subscriptions it created (mail may have arrived unnoticed before them).
     */
    public List<MailSubscription> align(GraphServiceClient graph, MailboxConnection connection) {
        List<String> wanted = foldersFor(connection.mode());
        Set<String> covered = new HashSet<>();
        for (MailSubscription existing : store.of(connection.accountId(), connection.userId())) {
            if (!wanted.contains(existing.folder()) || !covered.add(existing.folder())) {
                delete(graph, existing);
            }
        }
        List<MailSubscription> created = new ArrayList<>();
        for (String folder : wanted) {
            if (!covered.contains(folder)) {
                created.add(create(graph, connection, folder));
            }
        }
        return created;
    }

    /**
     * Compares what is stored for a mailbox with Graph's own list (GET /subscriptions, every page; with a
     * delegated token Graph lists this app's subscriptions for that user): forgets stored subscriptions Graph no
     * longer has, and deletes subscriptions at our notification URL that no record owns, once past
     * {@link #ORPHAN_GRACE}. {@code stored} must have been read before this call, so a record stored meanwhile
     * is never taken for lost; a subscription made meanwhile is young, so never taken for an orphan.
     */
    public Reconciliation reconcile(GraphServiceClient graph, List<MailSubscription> stored) {
        List<Subscription> atGraph = listOurs(graph);
        Set<String> graphIds = new HashSet<>();
        atGraph.forEach(subscription -> graphIds.add(subscription.getId()));
        Set<String> storedIds = new HashSet<>();
        List<MailSubscription> forgotten = new ArrayList<>();
        for (MailSubscription subscription : stored) {
            storedIds.add(subscription.id());
            if (!graphIds.contains(subscription.id())) {
                store.delete(subscription);
                forgotten.add(subscription);
            }
        }
        Instant settledBefore = clock.instant().minus(ORPHAN_GRACE);
        List<String> orphans = new ArrayList<>();
        for (Subscription subscription : atGraph) {
            if (!storedIds.contains(subscription.getId()) && lastSet(subscription).isBefore(settledBefore)) {
                deleteAtGraph(graph, subscription.getId());
                orphans.add(subscription.getId());
            }
        }
        return new Reconciliation(forgotten, orphans);
    }

    /**
     * What a (re)connect does: reconciles the mailbox with Graph, then aligns the connection, so a record
     * of a subscription Graph lost no longer stands in for a live one.
     */
    public List<MailSubscription> reconcileAndAlign(GraphServiceClient graph, MailboxConnection connection) {
        reconcile(graph, store.onMailbox(connection.mailboxAddress()));
        return align(graph, connection);
    }

    /**
     * Extends a subscription's life (also the answer to reauthorizationRequired: a successful renewal
     * reauthorizes it). False when Graph no longer knows it: the caller recreates it.
     */
    public boolean renew(GraphServiceClient graph, MailSubscription subscription) {
        Instant expiresAt = clock.instant().plus(LIFETIME);
        Subscription change = new Subscription();
        change.setExpirationDateTime(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        AtomicReference<Subscription> renewed = new AtomicReference<>();
        if (!unlessGone(() -> renewed.set(graph.subscriptions().bySubscriptionId(subscription.id()).patch(change)))) {
            store.find(subscription.id()).forEach(store::delete);
            return false;
        }
        Instant confirmed = renewed.get() != null && renewed.get().getExpirationDateTime() != null
                ? renewed.get().getExpirationDateTime().toInstant() : expiresAt;
        store.find(subscription.id()).forEach(user -> store.save(user.withExpiry(confirmed)));
        return true;
    }

    /** Deletes every subscription of the connection (disconnect). */
    public void deleteAll(GraphServiceClient graph, String accountId, String userId) {
        store.of(accountId, userId).forEach(subscription -> delete(graph, subscription));
    }

    private MailSubscription create(GraphServiceClient graph, MailboxConnection connection, String folder) {
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
        // Notifications then name mail by the immutable id delta gives, so a run can tell the mail it already saw.
        Subscription created = MicrosoftException.calling(() -> graph.subscriptions().post(request,
                config -> config.headers.add("Prefer", "IdType=\"ImmutableId\"")));
        MailSubscription subscription = new MailSubscription(created.getId(), connection.accountId(), connection.userId(),
                connection.mailboxAddress(), folder, MailSubscription.hashOf(clientState), created.getExpirationDateTime() == null ? expiresAt : created.getExpirationDateTime().toInstant());
        store.save(subscription);
        return subscription;
    }

    /**
     * Stops this connection's use; the subscription itself goes only when no other connection uses it (records
     * from before each connection had its own subscriptions may share one).
     */
    private void delete(GraphServiceClient graph, MailSubscription subscription) {
        boolean shared = store.find(subscription.id()).stream()
                .anyMatch(other -> !(other.accountId().equals(subscription.accountId()) && other.userId().equals(subscription.userId())));
        if (!shared) {
            deleteAtGraph(graph, subscription.id());
        }
        store.delete(subscription);
    }

    /** Already gone at Graph (expired or removed) is what we wanted. */
    private void deleteAtGraph(GraphServiceClient graph, String subscriptionId) {
        unlessGone(() -> graph.subscriptions().bySubscriptionId(subscriptionId).delete());
    }

    /** Every page of Graph's list, only the subscriptions that notify this stamp (other stamps have their own URL). */
    private List<Subscription> listOurs(GraphServiceClient graph) {
        String ours = url(NOTIFICATIONS_ROUTE);
        List<Subscription> found = new ArrayList<>();
        SubscriptionCollectionResponse page = MicrosoftException.calling(() -> graph.subscriptions().get());
        while (page != null) {
            if (page.getValue() != null) {
                page.getValue().stream().filter(subscription -> ours.equals(subscription.getNotificationUrl())).forEach(found::add);
            }
            String next = page.getOdataNextLink();
            page = next == null ? null : MicrosoftException.calling(() -> graph.subscriptions().withUrl(next).get());
        }
        return found;
    }

    /** When the subscription was made or last renewed: we always ask for {@link #LIFETIME}. */
    private static Instant lastSet(Subscription subscription) {
        return subscription.getExpirationDateTime() == null ? Instant.MIN : subscription.getExpirationDateTime().toInstant().minus(LIFETIME);
    }

    /** A Graph call on a subscription that may be gone: false when Graph answers NotFound, other failures thrown as Microsoft's. */
    private static boolean unlessGone(Runnable call) {
        try {
            call.run();
            return true;
        } catch (RuntimeException e) {
            MicrosoftException failed = MicrosoftException.of(e);
            if (failed.failure().isNotFound()) {
                return false;
            }
            throw failed;
        }
    }

    private String url(String route) {
        return PublicUrls.route(publicBaseUrl, route).toString();
    }
}
