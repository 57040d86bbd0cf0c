package io.mailbridge.sandbox.exchange;

import io.mailbridge.sandbox.SandboxClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Graph's subscriptions on Outlook messages, with Graph's rules for creating them: a validation
 * handshake with each endpoint, clientState up to 128 characters, a lifetime of at most 10,080
 * minutes, at most 1,000 active per mailbox for all apps together. As in Graph, several
 * subscriptions may watch the same resource, each with its own id and each notified. Endpoints
 * must be on loopback: the sandbox calls nothing else.
 */
public final class Subscriptions {
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10_080);
    public static final int MAX_CLIENT_STATE = 128;
    /** Microsoft Learn (outlook-change-notifications-overview): 1000 active subscriptions per mailbox for all applications. */
    public static final int MAX_PER_MAILBOX = 1_000;
    /** Graph documents no page size for listing subscriptions, only that a long list comes in pages (@odata.nextLink). */
    public static final int LIST_PAGE_SIZE = 100;
    private static final Pattern RESOURCE = Pattern.compile(
            "^/?(me|users/([^/]+))(?:/mailfolders(?:\\('([^']+)'\\)|/([^/]+)))?/messages$", Pattern.CASE_INSENSITIVE);

    private final SandboxClock clock;
    private final NotificationDispatcher dispatcher;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private volatile int maxPerMailbox = MAX_PER_MAILBOX;
    private volatile int listPageSize = LIST_PAGE_SIZE;

    public Subscriptions(SandboxClock clock, NotificationDispatcher dispatcher) {
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    /** Lowers (or restores) the per-mailbox limit, so a test reaches it without a thousand handshakes. */
    public void limitPerMailbox(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("The per-mailbox limit is at least 1");
        }
        maxPerMailbox = limit;
    }

    /** Sets how many subscriptions one page of GET /subscriptions holds, so a test sees paging with a few. */
    public void listPageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A page holds at least 1 subscription");
        }
        listPageSize = size;
    }

    public int listPageSize() {
        return listPageSize;
    }

    /** The user (null for "me") and folder (empty for all messages) a resource names, if it is a messages resource. */
    record Target(String user, Optional<String> folder) {
    }

    static Optional<Target> parseResource(String resource) {
        String path = resource.contains("?") ? resource.substring(0, resource.indexOf('?')) : resource;
        Matcher matcher = RESOURCE.matcher(path.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String folder = matcher.group(3) != null ? matcher.group(3) : matcher.group(4);
        return Optional.of(new Target(matcher.group(2), Optional.ofNullable(folder)));
    }

    public SubscriptionOutcome create(SubscriptionRequest request, Mailbox mailbox) {
        Instant now = clock.now();
        Set<ChangeType> changeTypes = EnumSet.noneOf(ChangeType.class);
        for (String type : (request.changeType() == null ? "" : request.changeType()).split(",")) {
            try {
                changeTypes.add(ChangeType.valueOf(type.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return refused(400, "InvalidRequest", "Invalid 'changeType' attribute: '" + request.changeType() + "'.");
            }
        }
        Optional<SubscriptionOutcome> badUrl = checkEndpoint("notificationUrl", request.notificationUrl(), true);
        if (badUrl.isPresent()) {
            return badUrl.get();
        }
        Optional<SubscriptionOutcome> badLifecycleUrl = checkEndpoint("lifecycleNotificationUrl", request.lifecycleNotificationUrl(), false);
        if (badLifecycleUrl.isPresent()) {
            return badLifecycleUrl.get();
        }
        Optional<Target> target = parseResource(request.resource() == null ? "" : request.resource());
        if (target.isEmpty()) {
            return refused(400, "ExtensionError", "Operation: Create; Exception: [Status Code: BadRequest; Reason: The sandbox supports subscriptions on me/messages, users/{id}/messages and their mailFolders('{folder}')/messages, not '"
                    + request.resource() + "']");
        }
        if (target.get().user() != null && !mailbox.user().id().equalsIgnoreCase(target.get().user())
                && !mailbox.user().userPrincipalName().equalsIgnoreCase(target.get().user())) {
            return refused(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]");
        }
        Optional<WellKnownFolder> folder = Optional.empty();
        if (target.get().folder().isPresent()) {
            folder = mailbox.folder(target.get().folder().get());
            if (folder.isEmpty()) {
                return refused(404, "ExtensionError", "Operation: Create; Exception: [Status Code: NotFound; Reason: The specified folder could not be found in the store.]");
            }
        }
        if (request.clientState() != null && request.clientState().length() > MAX_CLIENT_STATE) {
            return refused(400, "InvalidRequest", "The clientState value exceeds the maximum length of " + MAX_CLIENT_STATE + " characters.");
        }
        Optional<SubscriptionOutcome> badExpiration = checkExpiration(request.expirationDateTime(), now);
        if (badExpiration.isPresent()) {
            return badExpiration.get();
        }
        if (request.includeResourceData()) {
            return refused(400, "InvalidRequest", "The sandbox does not deliver resource data in notifications (includeResourceData).");
        }
        Subscription candidate = new Subscription(UUID.randomUUID().toString(), mailbox.user().id(), mailbox.user().tenantId(), request.clientId(),
                request.resource(), folder.orElse(null), changeTypes, request.notificationUrl(), request.lifecycleNotificationUrl(),
                request.clientState(), request.expirationDateTime(), request.immutableIds(), now);
        Optional<SubscriptionOutcome> crowded = checkRoom(candidate);
        if (crowded.isPresent()) {
            return crowded.get();
        }
        if (!dispatcher.validate(request.notificationUrl(), candidate.id())
                || (request.lifecycleNotificationUrl() != null && !dispatcher.validate(request.lifecycleNotificationUrl(), candidate.id()))) {
            return refused(400, "InvalidRequest", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
        }
        synchronized (this) {
            Optional<SubscriptionOutcome> raced = checkRoom(candidate);
            if (raced.isPresent()) {
                return raced.get();
            }
            byId.put(candidate.id(), candidate);
        }
        return new SubscriptionOutcome.Done(candidate);
    }

    /** Graph counts every app's live subscriptions on the mailbox; past the limit it answers 403 naming the limit. */
    private synchronized Optional<SubscriptionOutcome> checkRoom(Subscription candidate) {
        long onMailbox = live().stream().filter(s -> s.userId().equals(candidate.userId())).count();
        int limit = maxPerMailbox;
        if (onMailbox >= limit) {
            return Optional.of(refused(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: The maximum number of subscriptions ("
                    + limit + ") for this mailbox has been reached.]"));
        }
        return Optional.empty();
    }

    private static Optional<SubscriptionOutcome> checkEndpoint(String name, String url, boolean required) {
        if (url == null) {
            return required ? Optional.of(refused(400, "InvalidRequest", "The '" + name + "' is required.")) : Optional.empty();
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.of(refused(400, "InvalidRequest", "The '" + name + "' must be an absolute https URL."));
            }
            // Graph's subscription resource: "This URL must make use of the HTTPS protocol"; http gets this answer.
            if (!"https".equalsIgnoreCase(uri.getScheme())) {
                return Optional.of(refused(400, "InvalidRequest", Character.toUpperCase(name.charAt(0)) + name.substring(1) + " scheme='"
                        + uri.getScheme() + "' is not supported."));
            }
            if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
                return Optional.of(refused(400, "InvalidRequest", "The sandbox only calls endpoints on loopback; '" + name + "' points elsewhere."));
            }
            return Optional.empty();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.of(refused(400, "InvalidRequest", "The '" + name + "' is not a valid URL."));
        }
    }

    private static Optional<SubscriptionOutcome> checkExpiration(Instant expiration, Instant now) {
        if (expiration == null) {
            return Optional.of(refused(400, "InvalidRequest", "The 'expirationDateTime' is required."));
        }
        if (!expiration.isAfter(now)) {
            return Optional.of(refused(400, "InvalidRequest", "Subscription expiration must be in the future."));
        }
        if (expiration.isAfter(now.plus(MAX_LIFETIME))) {
            return Optional.of(refused(400, "InvalidRequest", "Subscription expiration can only be " + MAX_LIFETIME.toMinutes() + " minutes in the future."));
        }
        return Optional.empty();
    }

    private static SubscriptionOutcome refused(int status, String code, String message) {
        return new SubscriptionOutcome.Refused(status, code, message);
    }

    /** Live subscriptions (expired ones are gone, as in Graph). */
    public List<Subscription> live() {
        Instant now = clock.now();
        byId.values().removeIf(subscription -> !subscription.expirationDateTime().isAfter(now));
        return List.copyOf(byId.values());
    }

    public Optional<Subscription> get(String id) {
        return live().stream().filter(subscription -> subscription.id().equals(id)).findFirst();
    }

    public SubscriptionOutcome renew(String id, Instant expiration) {
        Optional<Subscription> existing = get(id);
        if (existing.isEmpty()) {
            return refused(404, "ResourceNotFound", "The object was not found.");
        }
        Optional<SubscriptionOutcome> bad = checkExpiration(expiration, clock.now());
        if (bad.isPresent()) {
            return bad.get();
        }
        Subscription renewed = existing.get().renewedUntil(expiration);
        byId.put(id, renewed);
        return new SubscriptionOutcome.Done(renewed);
    }

    public boolean delete(String id) {
        return byId.remove(id) != null;
    }

    /** Fans a mailbox change out to the subscriptions that watch it. */
    public void publish(MailboxChange change) {
        for (Subscription subscription : live()) {
            if (subscription.watches(change)) {
                dispatcher.notifyChange(subscription, change);
            }
        }
    }

    /** Sends a lifecycle event; subscriptionRemoved also removes the subscription, as Graph has done by then. */
    public boolean lifecycle(String id, LifecycleEvent event) {
        Optional<Subscription> subscription = get(id);
        if (subscription.isEmpty()) {
            return false;
        }
        if (event == LifecycleEvent.SUBSCRIPTION_REMOVED) {
            byId.remove(id);
        }
        return dispatcher.sendLifecycle(subscription.get(), event);
    }
}
