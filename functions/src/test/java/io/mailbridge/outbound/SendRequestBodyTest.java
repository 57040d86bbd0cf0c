package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.config.Region;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SendRequestBodyTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final MailboxConnection FULL = new MailboxConnection("acct", "user", "adele.vance@contoso.example",
            ConnectionState.ACTIVE, SyncMode.TWO_WAY, Profile.FULL, Region.US,
            List.of("adele.vance@contoso.example", "adele@contoso.example", "sales@contoso.example"), null, null, T0, T0);

    private static ObjectNode valid() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idempotencyKey", "crm-msg-1");
        body.putArray("to").add("Buyer@Fabrikam.example").addObject().put("address", "cfo@fabrikam.example").put("name", "The CFO");
        body.put("subject", "Our offer");
        body.put("text", "Hello");
        return body;
    }

    private static String refusedField(Consumer<ObjectNode> change) {
        ObjectNode body = valid();
        change.accept(body);
        return assertThrows(BadRequestException.class, () -> SendRequestBody.parse(body, FULL)).field();
    }

    @Test
    void readsAValidRequestWithThePrimaryAddressAsDefaultSender() {
        SendRequestBody.SendRequest request = SendRequestBody.parse(valid(), FULL);

        assertEquals("crm-msg-1", request.idempotencyKey());
        assertEquals("adele.vance@contoso.example", request.mail().from());
        assertEquals(List.of(new OutgoingMail.Address("buyer@fabrikam.example", null), new OutgoingMail.Address("cfo@fabrikam.example", "The CFO")),
                request.mail().to());
        assertEquals(2, request.mail().recipientCount());
    }

    @Test
    void takesAnAliasOfTheMailboxAsSenderAndRefusesAnyOtherAddress() {
        ObjectNode alias = valid().put("from", "Sales@contoso.example");

        assertEquals("sales@contoso.example", SendRequestBody.parse(alias, FULL).mail().from());
        assertEquals("from", refusedField(body -> body.put("from", "ceo@contoso.example")));
        assertEquals("from", refusedField(body -> body.put("from", "not an address")));
    }

    @Test
    void namesTheFieldOfEachMistake() {
        assertEquals("idempotencyKey", refusedField(body -> body.remove("idempotencyKey")));
        assertEquals("idempotencyKey", refusedField(body -> body.put("idempotencyKey", "x".repeat(201))));
        assertEquals("to", refusedField(body -> body.remove("to")));
        assertEquals("to[1]", refusedField(body -> body.putArray("to").add("a@b.example").add("nobody")));
        assertEquals("cc", refusedField(body -> body.put("cc", "a@b.example")));
        assertEquals("text", refusedField(body -> body.remove("text")));
        assertEquals("subject", refusedField(body -> body.put("subject", "Hi\r\nBcc: everyone@example.org")));
        assertEquals("inReplyTo", refusedField(body -> body.put("inReplyTo", "abc")));
        assertEquals("references[0]", refusedField(body -> body.putArray("references").add("abc")));
        assertEquals("attachments[0].contentBase64", refusedField(body -> body.putArray("attachments").addObject()
                .put("name", "a.pdf").put("contentBase64", "%%%")));
        assertEquals("attachments[0].name", refusedField(body -> body.putArray("attachments").addObject().put("contentBase64", "AAAA")));
    }

    @Test
    void refusesMoreRecipientsThanExchangeTakesInOneMessageNamingTheFieldThatPassesTheLimit() {
        String field = refusedField(body -> {
            fill(body.putArray("to"), 600, "to");
            fill(body.putArray("bcc"), 401, "bcc");
        });

        assertEquals("bcc", field);
        ObjectNode exactly = valid();
        fill(exactly.putArray("to"), 600, "to");
        fill(exactly.putArray("bcc"), 400, "bcc");
        assertEquals(1000, SendRequestBody.parse(exactly, FULL).mail().recipientCount());
    }

    @Test
    void refusesAttachmentsPastTheLimitNamingTheOneThatCrossesIt() {
        String twentyMegabytes = Base64.getEncoder().encodeToString(new byte[20 * 1024 * 1024]);
        String field = refusedField(body -> {
            ArrayNode attachments = body.putArray("attachments");
            attachments.addObject().put("name", "a.bin").put("contentBase64", twentyMegabytes);
            attachments.addObject().put("name", "b.bin").put("contentBase64", twentyMegabytes);
        });

        assertEquals("attachments[1]", field);
    }

    private static void fill(ArrayNode array, int count, String prefix) {
        for (int i = 0; i < count; i++) {
            array.add(prefix + i + "@fabrikam.example");
        }
    }

    @Test
    void keepsEverythingTheMailNeeds() {
        JsonNode body = valid().put("html", "<p>Hello</p>").put("inReplyTo", "<abc@fabrikam.example>")
                .set("attachments", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode().put("name", "logo.png")
                        .put("contentType", "image/png").put("contentBase64", "iVBORw==").put("inline", true).put("contentId", "logo")));

        OutgoingMail mail = SendRequestBody.parse(body, FULL).mail();

        assertEquals("<p>Hello</p>", mail.html());
        assertEquals("Hello", mail.text());
        assertEquals("<abc@fabrikam.example>", mail.inReplyTo());
        assertEquals(new OutgoingMail.Attachment("logo.png", "image/png", "logo", true, Base64.getDecoder().decode("iVBORw==")),
                mail.attachments().get(0));
    }
}
