package io.mailbridge.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.storage.QueueProducer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * What Graph POSTs to the webhook and lifecycle endpoints: the validation handshake, or a batch of
 * notifications whose client state is checked against the stored subscription (constant time). The
 * genuine ones go onto a queue as ONE message per POST; nothing else happens while Graph waits.
 */
public final class NotificationIntake {
    private static final Logger LOG = Logger.getLogger(NotificationIntake.class.getName());
    /** Graph batches at most a few hundred small notifications; anything near this is not Graph. */
    public static final int MAX_BODY_BYTES = 1_000_000;
    /**
     * Distinct subscriptions looked up per POST; notifications of any further one count as not verifiable.
     * Microsoft Learn documents no maximum, only that one POST carries "a collection of change notifications
     * relating to your subscriptions" (change-notifications-delivery-webhooks; changeNotificationCollection:
     * possibly a mix for the apps and tenants sharing the URL). Each look-up is a table query while Graph waits
     * at most 3 s, so a POST with thousands of made-up ids must not cost thousands; a genuine notification
     * beyond the cap is not lost for good, as the catch-up sweep finds the mail by delta.
     */
    static final int MAX_SUBSCRIPTIONS_PER_POST = 20;
    /**
     * How long the queue put may take before Graph is told to deliver again (503). Graph retries for up to 4 hours
     * any notification answered within 10 s, even with an error, but marks an endpoint slow when more than 10% of its
     * answers take longer and drops its notifications past 15% (Learn: change-notifications-delivery-webhooks, "HTTP
     * codes and retry logic", "Throttling"). 3 s leaves the look-ups and the host 7 s of those 10; a healthy put takes milliseconds.
     */
    static final Duration QUEUE_DEADLINE = Duration.ofSeconds(3);

    /**
     * What Graph POSTed to the endpoint.
     *
     * @param validationToken the validationToken query parameter of Graph's validation request
     * @param declaredLength the request's Content-Length, when it declared one
     * @param body the request body, empty when there was none
     */
    public record Post(Optional<String> validationToken, OptionalLong declaredLength, Optional<String> body) {}

    /** One verified notification, as the processor needs it. */
    public record Change(String accountId, String userId, String folder, String subscriptionId, String kind, String messageId) {}

    /** The queue message for one POST. */
    public record Batch(String receivedAt, List<Change> changes) {}

    public sealed interface Outcome {
        /** Graph is validating the endpoint: echo the token as text/plain. */
        record Validation(String token) implements Outcome {}

        /** Answer 202: {@code accepted} genuine notifications were queued, {@code rejected} were not. */
        record Accepted(int accepted, int rejected) implements Outcome {}

        /** Not a notification payload at all. */
        record Malformed(int status, String reason) implements Outcome {}

        /** The queue could not take the batch, or gave no answer within {@link #QUEUE_DEADLINE}: answer 503 so Graph delivers it again. */
        record Unavailable() implements Outcome {}
    }

    private final Subscriptions subscriptions;
    private final QueueProducer queue;
    private final Clock clock;

    public NotificationIntake(Subscriptions subscriptions, QueueProducer queue, Clock clock) {
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * @param kindField the item field naming what happened: changeType for notifications, lifecycleEvent for lifecycle events
     */
    public Outcome receive(Post post, String queueName, String kindField) {
        String text = post.body().orElse("");
        boolean hasBody = !text.isEmpty() || post.declaredLength().orElse(0) > 0;
        if (post.validationToken().isPresent()) {
            // Graph validates with an empty POST; echoing a token that came with a body would serve someone else's content.
            return hasBody ? new Outcome.Malformed(400, "A validation request has no body: Graph sends validationToken with an empty POST")
                    : new Outcome.Validation(post.validationToken().get());
        }
        // A string has at least as many UTF-8 bytes as it has characters.
        if (post.declaredLength().orElse(0) > MAX_BODY_BYTES || text.length() > MAX_BODY_BYTES) {
            return new Outcome.Malformed(413, "The body is larger than any Graph notification batch (" + MAX_BODY_BYTES + " bytes)");
        }
        JsonNode items;
        try {
            items = Json.MAPPER.readTree(text).path("value");
        } catch (IOException e) {
            return new Outcome.Malformed(400, "The body is not JSON");
        }
        if (!items.isArray()) {
            return new Outcome.Malformed(400, "The body has no value array");
        }
        List<Change> changes = new ArrayList<>();
        int rejected = 0;
        // A POST usually carries many notifications of few subscriptions: look each subscription up once.
        Map<String, List<MailSubscription>> known = new HashMap<>();
        for (JsonNode item : items) {
            List<Change> forConnections = verified(item, kindField, known);
            changes.addAll(forConnections);
            rejected += forConnections.isEmpty() ? 1 : 0;
        }
        int refused = rejected;
        if (refused > 0) {
            LOG.warning(() -> "Rejected " + refused + " of " + items.size() + " notifications: unknown subscription or wrong client state");
        }
        if (!changes.isEmpty()) {
            try {
                // A put that completes after the deadline leaves a second copy once Graph delivers again: harmless, as a
                // copy only asks for one more delta round, and a round skips mail Deliveries already holds as delivered.
                queue.sendWithin(queueName, Json.write(new Batch(clock.instant().toString(), changes)), QUEUE_DEADLINE);
            } catch (RuntimeException e) {
                LOG.severe(() -> "Could not queue " + changes.size() + " notifications within " + QUEUE_DEADLINE.toSeconds() + " s: "
                        + e.getClass().getSimpleName() + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ")"));
                return new Outcome.Unavailable();
            }
        }
        return new Outcome.Accepted(items.size() - refused, refused);
    }

    /** One change per connection that uses the subscription; none when the notification does not prove itself. */
    private List<Change> verified(JsonNode item, String kindField, Map<String, List<MailSubscription>> known) {
        String subscriptionId = item.path("subscriptionId").asText("");
        String clientState = item.path("clientState").asText("");
        return lookUp(subscriptionId, known).stream()
                .filter(subscription -> subscription.provenBy(clientState))
                .map(subscription -> change(subscription, item, kindField))
                .toList();
    }

    /** Each distinct id is looked up once, and only the first {@link #MAX_SUBSCRIPTIONS_PER_POST} of them at all. */
    private List<MailSubscription> lookUp(String subscriptionId, Map<String, List<MailSubscription>> known) {
        List<MailSubscription> found = known.get(subscriptionId);
        if (found != null) {
            return found;
        }
        if (known.size() >= MAX_SUBSCRIPTIONS_PER_POST) {
            return List.of();
        }
        found = subscriptions.find(subscriptionId);
        known.put(subscriptionId, found);
        return found;
    }

    private static Change change(MailSubscription subscription, JsonNode item, String kindField) {
        String messageId = item.path("resourceData").path("id").asText(null);
        return new Change(subscription.accountId(), subscription.userId(), subscription.folder(), subscription.id(),
                item.path(kindField).asText("unknown"), messageId);
    }
}
