package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.sandbox.exchange.ExchangeSettings;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.SendDelay;
import io.mailbridge.sandbox.exchange.SendOutcome;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exchange Online's asynchronous send over Graph: 202 is acceptance, the mail waits in Outbox for the mailbox's send
 * delay, then leaves with its copy in Sent Items; a draft keeps its immutable id through Outbox to Sent Items while its
 * default id changes; MIME keeps the threading headers JSON refuses; the never-sent fault leaves a mail in Outbox.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncSendIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMMUTABLE = "IdType=\"ImmutableId\"";
    private Sandbox sandbox;
    private SandboxClients clients;
    private SandboxUser adele;
    private SandboxUser alex;
    private String token;

    @BeforeAll
    void useSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
        clients = new SandboxClients(sandbox);
        adele = sandbox.user("adele.vance@contoso.example");
        alex = sandbox.user("alex.wilber@contoso.example");
    }

    @BeforeEach
    void signIn() {
        token = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, adele, SandboxClients.FULL_SCOPES);
    }

    @AfterEach
    void usualDelay() {
        sandbox.exchange().sendDelay(adele.id(), SendDelay.of(ExchangeSettings.defaults().sendDelay()));
    }

    private HttpResponse<String> graph(String method, String path, String contentType, String body, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.graphBaseUrl() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return clients.send(request.build());
    }

    private HttpResponse<String> control(String method, String path, String body) {
        return clients.send(HttpRequest.newBuilder(URI.create(sandbox.controlUrl() + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void exchangeSendsWhatIsDue(Duration after) {
        sandbox.clock().advance(after);
        sandbox.exchange().releaseDueSends();
    }

    private String draft(String subject, String to) {
        String body = "{\"subject\":\"" + subject + "\",\"body\":{\"contentType\":\"text\",\"content\":\"Hello\"},"
                + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + to + "\"}}]}";
        HttpResponse<String> created = graph("POST", "/me/messages", "application/json", body, IMMUTABLE);
        assertEquals(201, created.statusCode(), created.body());
        return json(created).path("id").asText();
    }

    @Test
    void aSentDraftKeepsItsImmutableIdFromDraftsThroughOutboxToSentItemsWhileItsDefaultIdChanges() {
        String subject = "Async " + UUID.randomUUID();
        String to = "buyer-" + UUID.randomUUID() + "@prospects.example";
        assertEquals(200, control("PUT", "/mailboxes/" + adele.id() + "/send-delay", "{\"seconds\":120}").statusCode());
        String id = draft(subject, to);
        String defaultId = json(graph("GET", "/me/messages/" + id, null, null, null)).path("id").asText();

        HttpResponse<String> sent = graph("POST", "/me/messages/" + id + "/send", null, null, IMMUTABLE);
        assertEquals(202, sent.statusCode(), sent.body());
        JsonNode inOutbox = json(graph("GET", "/me/messages/" + id + "?$select=isDraft,parentFolderId", null, null, IMMUTABLE));
        assertFalse(inOutbox.path("isDraft").asBoolean(true));
        assertEquals(json(graph("GET", "/me/mailFolders/outbox", null, null, null)).path("id").asText(), inOutbox.path("parentFolderId").asText());
        assertEquals(404, graph("GET", "/me/messages/" + defaultId, null, null, null).statusCode(), "a default id changes with the move");
        assertEquals(404, graph("POST", "/me/messages/" + id + "/send", null, null, IMMUTABLE).statusCode(), "no longer a draft to send");
        exchangeSendsWhatIsDue(Duration.ofSeconds(119));
        assertTrue(sandbox.exchange().transportLog().stream().noneMatch(mail -> mail.recipients().contains(to)), "not before its delay");

        exchangeSendsWhatIsDue(Duration.ofSeconds(1));
        JsonNode inSentItems = json(graph("GET", "/me/messages/" + id + "?$select=isDraft,parentFolderId", null, null, IMMUTABLE));
        assertEquals(json(graph("GET", "/me/mailFolders/sentitems", null, null, null)).path("id").asText(), inSentItems.path("parentFolderId").asText());
        assertEquals(1, sandbox.exchange().transportLog().stream().filter(mail -> mail.recipients().contains(to)).count());
    }

    @Test
    void aMailWithTheNeverSentFaultIsAcceptedAndStaysInOutbox() {
        String subject = "Stuck " + UUID.randomUUID();
        String to = "buyer-" + UUID.randomUUID() + "@prospects.example";
        assertEquals(200, control("POST", "/mailboxes/" + adele.id() + "/send-faults", "{\"type\":\"never-sent\"}").statusCode());
        assertEquals(400, control("POST", "/mailboxes/" + adele.id() + "/send-faults", "{\"type\":\"sometimes\"}").statusCode());
        String id = draft(subject, to);

        assertEquals(202, graph("POST", "/me/messages/" + id + "/send", null, null, IMMUTABLE).statusCode());
        exchangeSendsWhatIsDue(Duration.ofDays(2));

        MailMessage stuck = sandbox.exchange().mailbox(adele.id()).get(id).orElseThrow();
        assertEquals(WellKnownFolder.OUTBOX, stuck.folder());
        assertFalse(stuck.isDraft());
        assertTrue(sandbox.exchange().transportLog().stream().noneMatch(mail -> mail.recipients().contains(to)));
    }

    @Test
    void aMimeDraftKeepsInReplyToAndReferencesAndTheReplyJoinsTheConversationWhereJsonRefusesThoseHeaders() {
        String subject = "Question " + UUID.randomUUID();
        SendOutcome.Sent asked = (SendOutcome.Sent) sandbox.exchange().send(alex.id(), NewMessage.simple(alex.mail(), List.of(adele.mail()), subject, "?"), true);
        exchangeSendsWhatIsDue(ExchangeSettings.defaults().sendDelay());
        String question = asked.internetMessageId();
        String mime = "From: " + adele.mail() + "\r\nTo: " + alex.mail() + "\r\nSubject: RE: " + subject + "\r\nMessage-ID: <reply-" + UUID.randomUUID()
                + "@contoso.example>\r\nIn-Reply-To: " + question + "\r\nReferences: " + question + "\r\nX-Crm: 7\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nIt costs little.\r\n";
        String json = "{\"subject\":\"x\",\"internetMessageHeaders\":[{\"name\":\"In-Reply-To\",\"value\":\"" + question + "\"}]}";

        HttpResponse<String> refused = graph("POST", "/me/messages", "application/json", json, IMMUTABLE);
        HttpResponse<String> created = graph("POST", "/me/messages", "text/plain",
                Base64.getEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)), IMMUTABLE);
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("should start with 'x-' or 'X-'"), refused.body());
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).path("id").asText();
        assertTrue(json(created).path("isDraft").asBoolean());
        assertEquals(202, graph("POST", "/me/messages/" + id + "/send", null, null, IMMUTABLE).statusCode());
        exchangeSendsWhatIsDue(ExchangeSettings.defaults().sendDelay());

        MailMessage reply = sandbox.exchange().mailbox(alex.id()).list(WellKnownFolder.INBOX).stream()
                .filter(m -> ("RE: " + subject).equals(m.subject())).findFirst().orElseThrow();
        MailMessage original = sandbox.exchange().mailbox(alex.id()).get(asked.submitted().immutableId()).orElseThrow();
        assertTrue(reply.internetMessageHeaders().stream().anyMatch(h -> h.name().equals("In-Reply-To") && h.value().equals(question)));
        assertTrue(reply.internetMessageHeaders().stream().anyMatch(h -> h.name().equals("References") && h.value().contains(question)));
        assertTrue(reply.internetMessageHeaders().stream().anyMatch(h -> h.name().equalsIgnoreCase("X-Crm")));
        assertEquals(original.conversationId(), reply.conversationId());
        MailMessage sentCopy = sandbox.exchange().mailbox(adele.id()).get(id).orElseThrow();
        assertEquals(WellKnownFolder.SENT_ITEMS, sentCopy.folder());
        MailMessage inInbox = sandbox.exchange().mailbox(adele.id()).list(WellKnownFolder.INBOX).stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();
        assertEquals(inInbox.conversationId(), sentCopy.conversationId());
    }

    @Test
    void createReplyMakesADraftInTheConversationAddressedToTheSender() {
        String subject = "Offer " + UUID.randomUUID();
        sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), subject, "Interested"));
        MailMessage received = sandbox.exchange().mailbox(adele.id()).list(WellKnownFolder.INBOX).stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();

        HttpResponse<String> created = graph("POST", "/me/messages/" + received.immutableId() + "/createReply", "application/json",
                "{\"comment\":\"Thanks\"}", IMMUTABLE);

        assertEquals(201, created.statusCode(), created.body());
        JsonNode reply = json(created);
        assertTrue(reply.path("isDraft").asBoolean());
        assertEquals("RE: " + subject, reply.path("subject").asText());
        assertEquals("prospect@example.org", reply.path("toRecipients").get(0).path("emailAddress").path("address").asText());
        assertEquals(received.conversationId(), reply.path("conversationId").asText());
        assertNotEquals(received.immutableId(), reply.path("id").asText());
    }
}
