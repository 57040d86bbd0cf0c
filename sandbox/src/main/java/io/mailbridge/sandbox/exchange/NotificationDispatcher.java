package io.mailbridge.sandbox.exchange;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Graph's delivery side: the validation handshake, change and lifecycle notifications POSTed
 * asynchronously with retries over TLS (the endpoint's chain and host name verified), the fault
 * plan applied to them, and a record of every call with its status and response time.
 */
public final class NotificationDispatcher implements AutoCloseable {
    /** Graph counts an answer slower than this as slow. */
    public static final Duration ACKNOWLEDGEMENT_LIMIT = Duration.ofSeconds(3);

    private final SandboxClock clock;
    private final Duration validationTimeout;
    private final List<Duration> retryDelays;
    private final Random random;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final List<WebhookCall> calls = new CopyOnWriteArrayList<>();
    private final List<Runnable> reorderBuffer = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private volatile NotificationFaults faults = NotificationFaults.NONE;

    /** @param trust the CAs whose certificates Graph accepts from endpoints (Graph: publicly trusted ones; here the sandbox's CA) */
    public NotificationDispatcher(SandboxClock clock, Duration validationTimeout, List<Duration> retryDelays, long seed, SSLContext trust) {
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
        this.validationTimeout = validationTimeout;
        this.retryDelays = List.copyOf(retryDelays);
        this.random = new Random(seed);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(4, task -> {
            Thread thread = new Thread(task, "sandbox-webhooks-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void faults(NotificationFaults plan) {
        this.faults = plan;
        if (plan.reorderWindow() <= 1) {
            flushReordered();
        }
    }

    public NotificationFaults faults() {
        return faults;
    }

    public List<WebhookCall> calls() {
        return List.copyOf(calls);
    }

    public long dropped() {
        return dropped.get();
    }

    public long duplicated() {
        return duplicated.get();
    }

    /** Notifications accepted but not yet answered, held back, or waiting for a retry. */
    public int pending() {
        synchronized (reorderBuffer) {
            return inFlight.get() + reorderBuffer.size();
        }
    }

    /**
     * Graph's handshake: POST url?validationToken=... with an empty text/plain body; the endpoint
     * must answer 200 with the decoded token as text/plain within the timeout.
     */
    public boolean validate(String url, String subscriptionHint) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: " + UUID.randomUUID();
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(validationTimeout)
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.noBody()).build();
        Instant started = Instant.now();
        int status = 0;
        boolean echoed = false;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            echoed = status == 200 && contentType.startsWith("text/plain") && token.equals(response.body());
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.between(started, Instant.now());
        calls.add(new WebhookCall(WebhookCall.Kind.VALIDATION, url, subscriptionHint, "", status, elapsed, clock.now(), 1));
        return echoed && elapsed.compareTo(validationTimeout) <= 0;
    }

    /** Sends a change notification for one subscription, through the fault plan. */
    public void notifyChange(Subscription subscription, MailboxChange change) {
        NotificationFaults plan = faults;
        if (roll(plan.dropRate())) {
            dropped.incrementAndGet();
            return;
        }
        submit(subscription, changeNotification(subscription, change.type(), change.message()), plan);
        if (roll(plan.duplicateRate())) {
            duplicated.incrementAndGet();
            ChangeType repeat = change.type() == ChangeType.CREATED ? ChangeType.UPDATED : change.type();
            submit(subscription, changeNotification(subscription, repeat, change.message()), plan);
        }
    }

    private synchronized boolean roll(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    private void submit(Subscription subscription, ObjectNode notification, NotificationFaults plan) {
        ObjectNode envelope = Json.object();
        envelope.putArray("value").add(notification);
        String body = Json.text(envelope);
        inFlight.incrementAndGet();
        Runnable send = () -> deliver(WebhookCall.Kind.NOTIFICATION, subscription.notificationUrl(), subscription.id(), body, 1);
        if (plan.reorderWindow() > 1) {
            holdForReordering(send, plan.reorderWindow());
        } else {
            executor.schedule(send, plan.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void holdForReordering(Runnable send, int window) {
        List<Runnable> release = new ArrayList<>();
        synchronized (reorderBuffer) {
            inFlight.decrementAndGet();
            reorderBuffer.add(send);
            if (reorderBuffer.size() >= window) {
                release.addAll(reorderBuffer);
                reorderBuffer.clear();
            }
        }
        releaseNewestFirst(release);
    }

    /** Sends whatever the reorder fault still holds, newest first. */
    public void flushReordered() {
        List<Runnable> release;
        synchronized (reorderBuffer) {
            release = new ArrayList<>(reorderBuffer);
            reorderBuffer.clear();
        }
        releaseNewestFirst(release);
    }

    private void releaseNewestFirst(List<Runnable> release) {
        if (release.isEmpty()) {
            return;
        }
        inFlight.addAndGet(release.size());
        // One task sends them in sequence, so "newest first" is the order the endpoint sees.
        executor.execute(() -> {
            for (int i = release.size() - 1; i >= 0; i--) {
                release.get(i).run();
            }
        });
    }

    /** Sends a lifecycle notification; false when the subscription has no lifecycleNotificationUrl (Graph sends none then). */
    public boolean sendLifecycle(Subscription subscription, LifecycleEvent event) {
        if (subscription.lifecycleNotificationUrl() == null) {
            return false;
        }
        ObjectNode item = Json.object()
                .put("id", notificationId())
                .put("subscriptionId", subscription.id())
                .put("subscriptionExpirationDateTime", subscription.expirationDateTime().toString())
                .put("tenantId", subscription.tenantId())
                .put("clientState", subscription.clientState())
                .put("lifecycleEvent", event.graphName());
        ObjectNode envelope = Json.object();
        envelope.putArray("value").add(item);
        String body = Json.text(envelope);
        inFlight.incrementAndGet();
        executor.execute(() -> deliver(WebhookCall.Kind.LIFECYCLE, subscription.lifecycleNotificationUrl(), subscription.id(), body, 1));
        return true;
    }

    private ObjectNode changeNotification(Subscription subscription, ChangeType type, MailMessage message) {
        String id = message.id(subscription.immutableIds());
        String resource = "Users/" + subscription.userId() + "/Messages/" + id;
        ObjectNode notification = Json.object()
                .put("id", notificationId())
                .put("subscriptionId", subscription.id())
                .put("subscriptionExpirationDateTime", subscription.expirationDateTime().toString())
                .put("changeType", type.graphName())
                .put("resource", resource);
        notification.putObject("resourceData")
                .put("@odata.type", "#Microsoft.Graph.Message")
                .put("@odata.id", resource)
                .put("@odata.etag", "W/\"" + message.changeKey() + "\"")
                .put("id", id);
        notification.put("clientState", subscription.clientState()).put("tenantId", subscription.tenantId());
        return notification;
    }

    /** Each notification's own id (Graph's top-level "id"); a retried delivery sends the same body, so the same id. */
    private static String notificationId() {
        return UUID.randomUUID().toString();
    }

    /** One attempt; a failed one is retried after the configured delays, as Graph retries for hours. */
    private void deliver(WebhookCall.Kind kind, String url, String subscriptionId, String body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        Instant started = Instant.now();
        int status = 0;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WebhookCall call = new WebhookCall(kind, url, subscriptionId, body, status, Duration.between(started, Instant.now()), clock.now(), attempt);
        calls.add(call);
        if (!call.acknowledged() && attempt <= retryDelays.size() && !executor.isShutdown()) {
            executor.schedule(() -> deliver(kind, url, subscriptionId, body, attempt + 1), retryDelays.get(attempt - 1).toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        inFlight.decrementAndGet();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
