package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.smtp.RelayedMail;
import io.mailbridge.testkit.UniqueNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CRM mail sent through the app on the local host: FULL through the mailbox, RESTRICTED through the custom SMTP relay. */
@ExtendWith(StackExtension.class)
class OutboundIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Stack stack;
    private Connecting connecting;
    private MailboxApi api;
    private String account;

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.api = new MailboxApi(stack);
        this.account = UniqueNames.next("out");
    }

    private void connect(String userId, SandboxUser mailbox) {
        String link = connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US");
        assertEquals(200, connecting.connect(link, "ONE_WAY", mailbox, "accept").statusCode());
    }

    private HttpResponse<String> send(String userId, String key, String from, String subject) {
        return api.call("POST", MailboxApi.mailboxPath(account, userId) + "/sends", "{\"idempotencyKey\":\"" + key + "\",\"from\":\""
                + from + "\",\"to\":[\"buyer." + account + "@fabrikam-buyers.example\"],\"subject\":\"" + subject
                + "\",\"text\":\"Our offer\"}");
    }

    private CrmEvent awaitSendStatus(String state) {
        return stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.type().equals("send.status")
                && state.equals(e.data().path("state").asText()), PATIENCE);
    }

    @Test
    void aFullMailboxSendsFromAnAliasThroughTheMailboxAndReportsItOnce() {
        SandboxUser adele = stack.sandbox().user("adele.vance@contoso.example");
        connect("u1", adele);

        HttpResponse<String> accepted = send("u1", "crm-1", "sales@contoso.example", "offer " + account);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(200, send("u1", "crm-1", "sales@contoso.example", "offer " + account).statusCode(), "the same key is the same send");

        CrmEvent sent = awaitSendStatus("SENT");
        assertEquals("MAILBOX", sent.data().path("transport").asText());
        JsonNode status = MailboxApi.json(api.call("GET", MailboxApi.mailboxPath(account, "u1") + "/sends/"
                + MailboxApi.json(accepted.body()).path("send").path("sendId").asText(), "").body());
        assertEquals("SENT", status.path("state").asText(), status.toString());
        assertEquals(1, stack.sandbox().exchange().transportLog().stream()
                .filter(mail -> ("offer " + account).equals(mail.message().subject())).count(), "it left once");
    }

    @Test
    void aRestrictedMailboxSendsThroughTheCustomRelay() {
        assertEquals(200, api.setProfile(account, "RESTRICTED").statusCode());
        connect("u2", stack.sandbox().user("nestor.wilke@contoso.example"));

        assertEquals(202, send("u2", "crm-2", "nestor.wilke@contoso.example", "relay " + account).statusCode());

        CrmEvent sent = awaitSendStatus("SENT");
        assertEquals("SMTP", sent.data().path("transport").asText());
        RelayedMail relayed = stack.local().smtp().awaitMessage(mail -> mail.subject().equals(java.util.Optional.of("relay " + account)), PATIENCE);
        assertEquals(List.of("buyer." + account + "@fabrikam-buyers.example"), relayed.envelopeRecipients());
        assertTrue(relayed.header("From").orElseThrow().contains("nestor.wilke@contoso.example"));
    }

    @Test
    void anAliasTheMailboxDoesNotOwnIsRefusedNamingTheField() {
        connect("u3", stack.sandbox().user("adele.vance@contoso.example"));

        HttpResponse<String> refused = send("u3", "crm-3", "ceo@contoso.example", "spoof " + account);

        assertEquals(400, refused.statusCode());
        assertEquals("from", MailboxApi.json(refused.body()).get("field").asText());
    }
}
