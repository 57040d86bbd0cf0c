package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.TokenCaches;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.sandbox.exchange.WebhookCall;
import io.mailbridge.testkit.UniqueNames;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Mail arriving in a connected mailbox reaches the CRM: notification, webhook, queue, delta, CRM event. */
@ExtendWith(StackExtension.class)
class InboundSyncIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Stack stack;
    private Connecting connecting;
    private MailboxApi api;
    private String account;
    private String prospect;

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.api = new MailboxApi(stack);
        this.account = UniqueNames.next("inb");
        this.prospect = "Buyer." + account + "@prospects.example";
        HttpResponse<String> added = api.call("POST", "/api/accounts/" + account + "/prospects",
                "{\"upsert\":[\"" + prospect + "\"]}");
        assertEquals(200, added.statusCode(), added.body());
    }

    private void connect(String userId, SandboxUser mailbox, String mode) {
        String link = connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US");
        assertEquals(200, connecting.connect(link, mode, mailbox, "accept").statusCode());
    }

    private void deliver(String from, SandboxUser to, String subject) {
        stack.sandbox().exchange().deliver(NewMessage.simple(from, List.of(to.userPrincipalName()), subject,
                "Hello from " + from + " about " + subject));
    }

    private CrmEvent awaitMail(String subject) {
        return stack.crm().awaitEvent(e -> e.accountId().equals(account) && subject.equals(e.data().path("subject").asText()), PATIENCE);
    }

    @Test
    void aProspectsMailReachesTheCrmOnceAndOtherMailDoesNot() {
        SandboxUser alex = stack.sandbox().user("alex.wilber@contoso.example");
        connect("alex", alex, "TWO_WAY");

        deliver("someone.else@elsewhere.example", alex, "noise " + account);
        deliver(prospect.toLowerCase(), alex, "deal " + account);

        CrmEvent event = awaitMail("deal " + account);
        assertEquals("email.received", event.type());
        assertEquals("alex", event.userId());
        JsonNode data = event.data();
        assertEquals(List.of(prospect.toLowerCase()), List.of(data.get("prospects").get(0).asText()));
        assertTrue(data.get("textBody").asText().contains("about deal " + account), data.toString());
        assertTrue(data.hasNonNull("internetMessageId") && data.hasNonNull("graphMessageId") && data.hasNonNull("conversationId"));
        // A later prospect mail is the marker that everything delivered before it has been processed.
        deliver(prospect, alex, "marker " + account);
        awaitMail("marker " + account);
        assertEquals(1, stack.crm().timesReceived(event.id()));
        assertTrue(stack.crm().events().stream().noneMatch(e -> e.accountId().equals(account)
                && e.data().path("subject").asText().startsWith("noise")), "a non-prospect's mail is not delivered");
        assertTrue(stack.sandbox().exchange().notifications().calls().stream()
                        .filter(call -> call.kind() == WebhookCall.Kind.NOTIFICATION && call.url().startsWith(stack.appBaseUrl().toString()))
                        .allMatch(call -> call.elapsed().compareTo(Duration.ofSeconds(3)) < 0 && call.acknowledged()),
                "Graph got every acknowledgement within 3 s");
        assertTrue(stack.sandbox().exchange().subscriptions().live().stream().filter(s -> s.userId().equals(alex.id()))
                .allMatch(Subscription::immutableIds), "notifications name mail by the immutable id the delta gives");
    }

    @Test
    void aOneWayMailboxGetsNoAutomaticSync() {
        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        SandboxUser alex = stack.sandbox().user("alex.wilber@contoso.example");
        connect("joni", joni, "ONE_WAY");
        connect("alex2", alex, "TWO_WAY");

        deliver(prospect, joni, "one-way " + account);
        deliver(prospect, alex, "two-way " + account);

        awaitMail("two-way " + account);
        stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.data().path("subject").asText().equals("two-way " + account)
                && e.userId().equals("alex2"), PATIENCE);
        assertTrue(stack.crm().eventsFor(account, "joni").isEmpty(), "1-way mailboxes push mail by BCC only");
    }

    @Test
    void aRevokedSignInStopsSyncAndAReconnectCatchesUpWithoutLosingMail() {
        SandboxUser nestor = stack.sandbox().user("nestor.wilke@contoso.example");
        connect("nestor", nestor, "TWO_WAY");
        stack.sandbox().identity().revokeRefreshTokens(nestor.id());
        stack.sandbox().clock().advance(Duration.ofHours(2));

        deliver(prospect, nestor, "while away " + account);

        CrmEvent needsReauth = stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.type().equals("mailbox.needs_reauth"),
                PATIENCE);
        assertEquals("nestor", needsReauth.userId());
        assertEquals("NEEDS_REAUTH", api.status(account, "nestor").get("state").asText());

        connect("nestor", nestor, "TWO_WAY");

        assertEquals("ACTIVE", api.status(account, "nestor").get("state").asText());
        CrmEvent caughtUp = awaitMail("while away " + account);
        assertEquals(1, stack.crm().timesReceived(caughtUp.id()));
        assertEquals(1, stack.crm().events().stream().filter(e -> e.accountId().equals(account) && e.type().equals("mailbox.needs_reauth"))
                .count(), "the CRM is told once");
    }

    @Test
    void anExpiredAccessTokenIsRefreshedAndTheRotatedCacheStored() {
        SandboxUser diego = stack.sandbox().user("diego.siciliani@fabrikam.example");
        connect("diego", diego, "TWO_WAY");
        Instant storedAt = new TokenCaches(stack.storage()).find(account, "diego").orElseThrow().value().updatedAt();
        stack.sandbox().clock().advance(Duration.ofHours(2));

        deliver(prospect, diego, "after an hour " + account);

        awaitMail("after an hour " + account);
        Instant refreshedAt = new TokenCaches(stack.storage()).find(account, "diego").orElseThrow().value().updatedAt();
        assertTrue(refreshedAt.isAfter(storedAt), "the refreshed cache was written back");
        assertEquals("ACTIVE", api.status(account, "diego").get("state").asText());
    }

    @Test
    void theWebhookAnswersGraphsHandshakeAndRefusesWhatIsNotANotification() {
        HttpResponse<String> handshake = connecting.web().send(HttpRequest.newBuilder(
                stack.appBaseUrl().resolve("api/graph/notifications?validationToken=Validation%3A%20Testing%20client%20application"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, handshake.statusCode());
        assertEquals("Validation: Testing client application", handshake.body());
        assertTrue(handshake.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        assertEquals(400, post("{not json").statusCode());
        assertEquals(413, post("{\"value\":[\"" + "x".repeat(10 * 1024 * 1024) + "\"]}").statusCode());
        assertEquals(202, post("{\"value\":[{\"subscriptionId\":\"forged\",\"clientState\":\"guess\",\"changeType\":\"created\"}]}")
                .statusCode());
    }

    private HttpResponse<String> post(String body) {
        return connecting.web().send(HttpRequest.newBuilder(stack.appBaseUrl().resolve("api/graph/notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
