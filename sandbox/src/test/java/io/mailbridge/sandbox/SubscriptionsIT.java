package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.sandbox.exchange.LifecycleEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.NotificationDispatcher;
import io.mailbridge.sandbox.exchange.NotificationFaults;
import io.mailbridge.sandbox.exchange.WebhookCall;
import io.mailbridge.testkit.Polling;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions through the Graph SDK, and the notifications the sandbox then really POSTs to a local webhook. */
class SubscriptionsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Sandbox sandbox;
    private WebhookReceiver webhook;
    private GraphServiceClient graph;
    private SandboxUser diego;

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().withExchange(io.mailbridge.sandbox.exchange.ExchangeSettings.defaults()
                .withNotificationRetryDelays(List.of(Duration.ofMillis(100))).withValidationTimeout(Duration.ofSeconds(2))));
        webhook = new WebhookReceiver(sandbox.tls().issueServerContext());
        SandboxClients clients = new SandboxClients(sandbox);
        diego = sandbox.user("diego.siciliani@fabrikam.example");
        graph = clients.graph(clients.token(SandboxDirectory.FABRIKAM_TENANT_ID, diego, SandboxClients.FULL_SCOPES));
    }

    @AfterEach
    void stop() {
        webhook.close();
        sandbox.close();
    }

    private Subscription request(String clientState, OffsetDateTime expiration) {
        Subscription subscription = new Subscription();
        subscription.setChangeType("created,updated");
        subscription.setNotificationUrl(webhook.url("/api/graph/webhook"));
        subscription.setLifecycleNotificationUrl(webhook.url("/api/graph/lifecycle"));
        subscription.setResource("me/mailFolders('Inbox')/messages");
        subscription.setExpirationDateTime(expiration);
        subscription.setClientState(clientState);
        return subscription;
    }

    private OffsetDateTime inMinutes(long minutes) {
        return sandbox.clock().now().atOffset(ZoneOffset.UTC).plusMinutes(minutes);
    }

    @Test
    void creatingValidatesBothEndpointsAndDeliveryPostsGraphsEnvelope() {
        Subscription created = graph.subscriptions().post(request("secret-state", inMinutes(10_000)));

        sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of("diego@fabrikam.example"), "Hi", "body"));
        Polling.await("a notification", WAIT).until(() -> webhook.items().size() == 1);

        assertEquals(2, sandbox.exchange().notifications().calls().stream().filter(call -> call.kind() == WebhookCall.Kind.VALIDATION).count());
        JsonNode item = webhook.items().get(0);
        assertEquals(created.getId(), item.path("subscriptionId").asText());
        assertEquals("secret-state", item.path("clientState").asText());
        assertEquals("created", item.path("changeType").asText());
        assertEquals(SandboxDirectory.FABRIKAM_TENANT_ID, item.path("tenantId").asText());
        assertEquals("#Microsoft.Graph.Message", item.path("resourceData").path("@odata.type").asText());
        assertTrue(item.path("resource").asText().startsWith("Users/" + diego.id() + "/Messages/"));
        assertTrue(item.has("subscriptionExpirationDateTime"));
        assertTrue(sandbox.exchange().notifications().calls().stream().allMatch(call -> call.elapsed().compareTo(NotificationDispatcher.ACKNOWLEDGEMENT_LIMIT) < 0));
    }

    @Test
    void graphsRulesRefuseBadSubscriptions() {
        webhook.echoValidation = false;
        assertEquals(400, assertThrows(ODataError.class, () -> graph.subscriptions().post(request("s", inMinutes(60)))).getResponseStatusCode());
        webhook.echoValidation = true;
        assertEquals(400, assertThrows(ODataError.class, () -> graph.subscriptions().post(request("x".repeat(129), inMinutes(60)))).getResponseStatusCode());
        assertEquals(400, assertThrows(ODataError.class, () -> graph.subscriptions().post(request("s", inMinutes(10_081)))).getResponseStatusCode());
    }

    @Test
    void severalSubscriptionsToTheSameResourceEachGetTheirOwnIdAndEachIsNotified() {
        Subscription first = graph.subscriptions().post(request("first", inMinutes(60)));
        Subscription second = graph.subscriptions().post(request("second", inMinutes(60)));

        sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of("diego@fabrikam.example"), "Hi", "body"));
        Polling.await("a notification for each", WAIT).until(() -> webhook.items().size() == 2);

        assertTrue(!first.getId().equals(second.getId()), "each has its own id");
        assertEquals(java.util.Set.of(first.getId() + "/first", second.getId() + "/second"), webhook.items().stream()
                .map(item -> item.path("subscriptionId").asText() + "/" + item.path("clientState").asText()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void theMailboxLimitCountsEveryAppsSubscriptionsAndIsAnsweredWith403() {
        sandbox.exchange().subscriptions().limitPerMailbox(3);
        SandboxClients clients = new SandboxClients(sandbox);
        graph.subscriptions().post(request("a", inMinutes(60)));
        graph.subscriptions().post(request("b", inMinutes(60)));
        Subscription third = graph.subscriptions().post(request("c", inMinutes(60)));

        ODataError refused = assertThrows(ODataError.class, () -> graph.subscriptions().post(request("d", inMinutes(60))));

        assertEquals(403, refused.getResponseStatusCode());
        assertTrue(refused.getError().getMessage().contains("maximum number of subscriptions (3)"), refused.getError().getMessage());
        // Another user's mailbox has its own count; a deleted subscription frees its place.
        GraphServiceClient adele = clients.graph(clients.token(SandboxDirectory.CONTOSO_TENANT_ID, sandbox.user("adele.vance@contoso.example"),
                SandboxClients.FULL_SCOPES));
        adele.subscriptions().post(request("e", inMinutes(60)));
        graph.subscriptions().bySubscriptionId(third.getId()).delete();
        graph.subscriptions().post(request("f", inMinutes(60)));
    }

    @Test
    void listingPagesThroughTheAppsSubscriptionsAndNeverReturnsTheClientState() {
        sandbox.exchange().subscriptions().listPageSize(2);
        java.util.Set<String> made = new java.util.TreeSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(graph.subscriptions().post(request("secret-" + i, inMinutes(60))).getId());
        }

        java.util.Set<String> listed = new java.util.TreeSet<>();
        int pages = 0;
        com.microsoft.graph.models.SubscriptionCollectionResponse page = graph.subscriptions().get();
        while (true) {
            pages++;
            for (Subscription subscription : page.getValue()) {
                listed.add(subscription.getId());
                assertEquals(null, subscription.getClientState(), "Graph never lists the client state");
            }
            if (page.getOdataNextLink() == null) {
                break;
            }
            page = graph.subscriptions().withUrl(page.getOdataNextLink()).get();
        }

        assertEquals(made, listed);
        assertEquals(3, pages, "5 subscriptions in pages of 2");
        assertEquals(null, graph.subscriptions().bySubscriptionId(made.iterator().next()).get().getClientState());
    }

    @Test
    void graphRefusesNotificationUrlsThatAreNotHttps() {
        Subscription plainNotifications = request("s", inMinutes(60));
        plainNotifications.setNotificationUrl(webhook.url("/api/graph/webhook").replace("https:", "http:"));
        ODataError refused = assertThrows(ODataError.class, () -> graph.subscriptions().post(plainNotifications));
        assertEquals(400, refused.getResponseStatusCode());
        assertEquals("InvalidRequest", refused.getError().getCode());
        assertEquals("NotificationUrl scheme='http' is not supported.", refused.getError().getMessage());

        Subscription plainLifecycle = request("s", inMinutes(60));
        plainLifecycle.setLifecycleNotificationUrl(webhook.url("/api/graph/lifecycle").replace("https:", "http:"));
        assertEquals("LifecycleNotificationUrl scheme='http' is not supported.",
                assertThrows(ODataError.class, () -> graph.subscriptions().post(plainLifecycle)).getError().getMessage());
        assertTrue(sandbox.exchange().notifications().calls().isEmpty(), "no handshake with a refused URL");
    }

    @Test
    void theHandshakeFailsWhenTheEndpointsCertificateIsNotFromATrustedCa() throws Exception {
        try (WebhookReceiver stranger = new WebhookReceiver(io.mailbridge.sandbox.tls.SandboxTls.generate().issueServerContext())) {
            Subscription subscription = request("s", inMinutes(60));
            subscription.setNotificationUrl(stranger.url("/api/graph/webhook"));

            ODataError refused = assertThrows(ODataError.class, () -> graph.subscriptions().post(subscription));

            assertEquals(400, refused.getResponseStatusCode());
            assertTrue(refused.getError().getMessage().startsWith("Subscription validation request failed."), refused.getError().getMessage());
            assertEquals(List.of(0), sandbox.exchange().notifications().calls().stream().map(WebhookCall::status).toList(),
                    "the TLS handshake itself fails: no answer");
        }
    }

    @Test
    void renewReauthorizeAndDeleteWork() {
        Subscription created = graph.subscriptions().post(request("s", inMinutes(60)));
        Subscription renewal = new Subscription();
        renewal.setExpirationDateTime(inMinutes(9_000));

        Subscription renewed = graph.subscriptions().bySubscriptionId(created.getId()).patch(renewal);
        graph.subscriptions().bySubscriptionId(created.getId()).reauthorize().post();
        graph.subscriptions().bySubscriptionId(created.getId()).delete();

        assertTrue(renewed.getExpirationDateTime().isAfter(inMinutes(8_999)));
        assertEquals(404, assertThrows(ODataError.class, () -> graph.subscriptions().bySubscriptionId(created.getId()).get()).getResponseStatusCode());
    }

    @Test
    void lifecycleEventsGoToTheLifecycleUrlAndSubscriptionRemovedRemovesIt() {
        Subscription created = graph.subscriptions().post(request("s", inMinutes(60)));

        assertTrue(sandbox.exchange().subscriptions().lifecycle(created.getId(), LifecycleEvent.MISSED));
        assertTrue(sandbox.exchange().subscriptions().lifecycle(created.getId(), LifecycleEvent.SUBSCRIPTION_REMOVED));
        Polling.await("two lifecycle events", WAIT).until(() -> webhook.items().size() == 2);

        assertTrue(webhook.items().stream().anyMatch(item -> item.path("lifecycleEvent").asText().equals("subscriptionRemoved")));
        assertTrue(sandbox.exchange().subscriptions().get(created.getId()).isEmpty());
    }

    @Test
    void faultsDropDuplicateAndReorderNotifications() {
        graph.subscriptions().post(request("s", inMinutes(60)));

        sandbox.exchange().notifications().faults(NotificationFaults.NONE.withDropRate(1));
        sandbox.exchange().deliver(NewMessage.simple("p@example.org", List.of(diego.mail()), "dropped", "b"));
        sandbox.exchange().notifications().faults(NotificationFaults.NONE.withDuplicateRate(1));
        sandbox.exchange().deliver(NewMessage.simple("p@example.org", List.of(diego.mail()), "twice", "b"));
        Polling.await("created then updated", WAIT).until(() -> webhook.items().size() == 2);
        assertEquals(List.of("created", "updated"), webhook.items().stream().map(item -> item.path("changeType").asText()).sorted().toList());
        assertEquals(1, sandbox.exchange().notifications().dropped());

        sandbox.exchange().notifications().faults(NotificationFaults.NONE.withReorderWindow(2));
        sandbox.exchange().deliver(NewMessage.simple("p@example.org", List.of(diego.mail()), "first", "b"));
        sandbox.exchange().deliver(NewMessage.simple("p@example.org", List.of(diego.mail()), "second", "b"));
        Polling.await("the reordered pair", WAIT).until(() -> webhook.items().size() == 4);
        String firstId = sandbox.exchange().mailbox(diego.id()).all().stream().filter(m -> "first".equals(m.subject())).findFirst().orElseThrow().restId();
        assertTrue(webhook.items().get(3).path("resource").asText().endsWith(firstId), "the older change arrives last");
    }

    @Test
    void aFailingWebhookIsRetriedAndEveryAttemptIsRecorded() {
        graph.subscriptions().post(request("s", inMinutes(60)));
        webhook.status = 500;

        sandbox.exchange().deliver(NewMessage.simple("p@example.org", List.of(diego.mail()), "retry", "b"));
        Polling.await("the retry", WAIT).until(() -> sandbox.exchange().notifications().calls().stream()
                .filter(call -> call.kind() == WebhookCall.Kind.NOTIFICATION).count() == 2 && sandbox.exchange().notifications().pending() == 0);

        assertTrue(sandbox.exchange().notifications().calls().stream().filter(call -> call.kind() == WebhookCall.Kind.NOTIFICATION).allMatch(call -> call.status() == 500));
    }
}
