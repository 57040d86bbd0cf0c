package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The send request API: what it refuses (400 naming the field), aliases as senders, large mail, status pages. */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboundRequestsIT {
    private final SendingStack stack;

    OutboundRequestsIT(SendingStack stack) {
        this.stack = stack;
    }

    private static ObjectNode mail(String key, String subject) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idempotencyKey", key);
        body.putArray("to").add("buyer@prospects.example");
        body.put("subject", subject);
        body.put("text", "Hello from the CRM");
        return body;
    }

    private static void assertProblem(HttpResponseMessage response, int status, String field) {
        assertEquals(status, response.getStatusCode(), String.valueOf(response.getBody()));
        assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"));
        assertEquals(field, SendingWorld.json(response).path("field").asText(null));
    }

    @Test
    void anAliasTheUserDoesNotOwnIsRefusedAndOneTheyOwnIsTheSenderThroughTheMailbox() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("alias");

        HttpResponseMessage foreign = world.requestSend(adele, mail("alias-1", subject).put("from", "alex.wilber@contoso.example").toString());
        HttpResponseMessage owned = world.requestSend(adele, mail("alias-2", subject).put("from", "sales@contoso.example").toString());
        world.settle();

        assertProblem(foreign, 400, "from");
        assertTrue(SendingWorld.json(foreign).path("detail").asText().contains("sales@contoso.example"), "names the addresses it may use");
        assertEquals(202, owned.getStatusCode());
        MailMessage copy = stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();
        assertEquals("sales@contoso.example", copy.from().address());
        assertEquals(1, world.records().size(), "the refused request stored nothing");
    }

    @Test
    void aRestrictedMailboxMaySendFromItsOwnAddressOnly() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox diego = world.connect("diego.siciliani@fabrikam.example", Profile.RESTRICTED);

        HttpResponseMessage alias = world.requestSend(diego, mail("r-1", "x").put("from", "diego@fabrikam.example").toString());

        assertProblem(alias, 400, "from");
    }

    @Test
    void namesTheFieldOfEveryMistakeAndRefusesWhatTheCrmDidNotSign() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        ObjectNode tooMany = mail("v-2", "x");
        ArrayNode bcc = tooMany.putArray("bcc");
        for (int i = 0; i < 1000; i++) {
            bcc.add("reader" + i + "@prospects.example");
        }
        // Each base64 string passes Jackson's default limit of 20 million characters: the product's own limit decides.
        ObjectNode tooLarge = mail("v-3", "x");
        String fifteenMegabytes = Base64.getEncoder().encodeToString(new byte[15 * 1024 * 1024]);
        tooLarge.putArray("attachments").add(Json.MAPPER.createObjectNode().put("name", "a.bin").put("contentBase64", fifteenMegabytes))
                .add(Json.MAPPER.createObjectNode().put("name", "b.bin").put("contentBase64", fifteenMegabytes));

        assertProblem(world.requestSend(adele, mail("v-1", "x").putNull("to").toString()), 400, "to");
        assertProblem(world.requestSend(adele, tooMany.toString()), 400, "bcc");
        assertProblem(world.requestSend(adele, tooLarge.toString()), 400, "attachments[1]");
        assertProblem(world.requestSend(adele, mail("v-4", "x").put("to", "buyer").toString()), 400, "to");
        assertProblem(world.requestSend(adele, "{not json"), 400, "body");
        HttpResponseMessage unsigned = world.app.getInstance(SendRequestFunction.class).run(FunctionHttpRequest.of(
                URI.create("http://localhost:7071/api/accounts/" + adele.accountId() + "/mailboxes/" + adele.userId() + "/sends"),
                HttpMethod.POST, Map.of(), Optional.of(mail("v-5", "x").toString())), adele.accountId(), adele.userId());
        assertEquals(401, unsigned.getStatusCode());
        assertTrue(world.records().isEmpty());
    }

    @Test
    void mailOverFourMegabytesGoesAsADraftWithAnUploadSessionAndLandsInSentItemsOnce() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        byte[] brochure = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(brochure);
        byte[] logo = new byte[2048];
        new Random(8).nextBytes(logo);
        String subject = UniqueNames.next("large");
        ObjectNode body = mail("large-1", subject).put("html", "<p>Our brochure <img src=\"cid:logo\"></p>");
        body.putArray("attachments")
                .add(Json.MAPPER.createObjectNode().put("name", "brochure.pdf").put("contentType", "application/pdf")
                        .put("contentBase64", Base64.getEncoder().encodeToString(brochure)))
                .add(Json.MAPPER.createObjectNode().put("name", "logo.png").put("contentType", "image/png").put("inline", true)
                        .put("contentId", "logo").put("contentBase64", Base64.getEncoder().encodeToString(logo)));

        String sendId = SendingWorld.json(world.requestSend(adele, body.toString())).path("send").path("sendId").asText();
        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(Transport.MAILBOX, sent.attempt().transport());
        assertEquals(1, sent.attempt().attempts());
        MailMessage copy = stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).findFirst().orElseThrow();
        assertFalse(copy.isDraft());
        assertEquals(sent.message().internetMessageId(), copy.internetMessageId());
        assertEquals(brochure.length, copy.attachments().stream().filter(a -> a.name().equals("brochure.pdf")).findFirst().orElseThrow().size());
        assertTrue(copy.attachments().stream().anyMatch(a -> a.name().equals("logo.png") && a.isInline()));
        assertTrue(stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.DRAFTS).stream()
                .noneMatch(m -> subject.equals(m.subject())), "no draft left behind");
    }

    @Test
    void theStatusApisShowASendOfTheMailboxAndHowTheMailboxSends() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String sendId = SendingWorld.json(world.requestSend(alex, SendingWorld.mail("s-1", "buyer@prospects.example", "status")))
                .path("send").path("sendId").asText();

        JsonNode queued = SendingWorld.json(world.sendStatus(alex, sendId));
        world.settle();
        JsonNode sent = SendingWorld.json(world.sendStatus(alex, sendId));

        assertEquals("QUEUED", queued.path("state").asText());
        assertEquals("SENT", sent.path("state").asText());
        assertEquals("SMTP", sent.path("transport").asText());
        assertEquals(world.record(sendId).message().internetMessageId(), sent.path("internetMessageId").asText());
        assertEquals(404, world.sendStatus(adele, sendId).getStatusCode(), "another mailbox's send is not found");
        assertEquals(404, world.sendStatus(alex, "no-such-send").getStatusCode());
        JsonNode restricted = SendingWorld.json(world.sendingStatus(alex));
        assertEquals("SMTP", restricted.path("transport").asText());
        assertTrue(restricted.path("fallbackUntil").isNull(), "the relay is no fallback for RESTRICTED: it is the only way");
        assertEquals("MAILBOX", SendingWorld.json(world.sendingStatus(adele)).path("transport").asText());
    }
}
