package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.NotificationFaults;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Sent-folder reconciliation on the local host: its timer fans out jobs through the sent-reconciliation queue,
 * which write relay-sent CRM mail into Sent Items and bring Sent Items to the CRM, visible in the status API.
 */
@ExtendWith(StackExtension.class)
class SentReconciliationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private Stack stack;
    private Connecting connecting;
    private MailboxApi api;
    private String account;
    private String prospect;
    private final List<String> connected = new ArrayList<>();

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.api = new MailboxApi(stack);
        this.account = UniqueNames.next("sent");
        this.prospect = "buyer." + account + "@prospects.example";
        HttpResponse<String> added = api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}");
        assertEquals(200, added.statusCode(), added.body());
    }

    private void connect(String userId, SandboxUser mailbox) {
        String link = connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US");
        assertEquals(200, connecting.connect(link, "TWO_WAY", mailbox, "accept").statusCode());
        connected.add(userId);
    }

    /** Other tests count the subscriptions on these sandbox mailboxes: a connection left behind would share them. */
    @AfterEach
    void disconnect() {
        for (String userId : connected) {
            assertEquals(200, api.call("DELETE", MailboxApi.mailboxPath(account, userId), "").statusCode());
        }
    }

    private String sendFromTheCrm(String userId, String key, String subject) {
        HttpResponse<String> accepted = api.call("POST", MailboxApi.mailboxPath(account, userId) + "/sends", "{\"idempotencyKey\":\""
                + key + "\",\"to\":[\"" + prospect + "\"],\"subject\":\"" + subject + "\",\"text\":\"Our offer\",\"html\":\"<p>Our offer</p>\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String sendId = MailboxApi.json(accepted.body()).path("send").path("sendId").asText();
        CrmEvent sent = stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.type().equals("send.status")
                && sendId.equals(e.data().path("sendId").asText()) && "SENT".equals(e.data().path("state").asText()), PATIENCE);
        assertEquals("SMTP", sent.data().path("transport").asText());
        return sendId;
    }

    private CrmEvent awaitMail(String subject) {
        return stack.crm().awaitEvent(e -> e.accountId().equals(account) && subject.equals(e.data().path("subject").asText()), PATIENCE);
    }

    private List<CrmEvent> mailEvents(String subject) {
        return stack.crm().events().stream().filter(e -> e.accountId().equals(account) && e.type().startsWith("email.")
                && subject.equals(e.data().path("subject").asText())).toList();
    }

    private List<MailMessage> sentItems(SandboxUser user, String subject) {
        return stack.sandbox().exchange().mailbox(user.id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).toList();
    }

    /** Waits until the status API shows {@code runs} more reconciliation jobs ended for the user; returns the last status. */
    private JsonNode awaitRuns(String userId, int runs) {
        Set<String> seen = new HashSet<>();
        String first = api.status(account, userId).path("sentReconciliation").path("lastRunAt").asText("");
        return Polling.await(runs + " reconciliation runs of " + account + "/" + userId, PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode status = api.status(account, userId);
                    String lastRun = status.path("sentReconciliation").path("lastRunAt").asText("");
                    if (!lastRun.isEmpty() && !lastRun.equals(first)) {
                        seen.add(lastRun);
                    }
                    return seen.size() >= runs ? Optional.of(status) : Optional.<JsonNode>empty();
                }, Optional::isPresent).orElseThrow();
    }

    private static JsonNode folder(JsonNode status, String name) {
        return StreamSupport.stream(status.path("folders").spliterator(), false)
                .filter(f -> name.equals(f.path("folder").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + status));
    }

    @Test
    void mailSentFromOutlookReachesTheCrmOnceThroughTheTimerWhenEveryNotificationIsLost() throws InterruptedException {
        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        connect("u1", joni);
        String subject = "from outlook " + account;
        stack.sandbox().exchange().notifications().faults(NotificationFaults.NONE.withDropRate(1.0));
        try {
            stack.sandbox().exchange().send(joni.id(), NewMessage.simple(joni.mail(), List.of(prospect), subject, "Hello"), true);

            CrmEvent event = awaitMail(subject);
            JsonNode status = awaitRuns("u1", 2);

            assertEquals("email.sent", event.type());
            assertEquals("SENT_ITEMS", event.data().path("source").asText());
            assertEquals(1, mailEvents(subject).size());
            assertEquals(1, stack.crm().timesReceived(event.id()));
            JsonNode sentItems = folder(status, "sentitems");
            assertEquals(1, sentItems.path("mailsDelivered").asInt());
            assertFalse(sentItems.path("lastSyncAt").isNull());
            assertTrue(status.path("sentReconciliation").path("lastError").isNull(), status.toString());
        } finally {
            stack.sandbox().exchange().notifications().faults(NotificationFaults.NONE);
        }
    }

    @Test
    void crmMailSentByTheRelayIsWrittenIntoSentItemsAsSentMailOnceAndTheCrmKnowsItAsItsOwn() throws InterruptedException {
        SandboxUser lynne = stack.sandbox().user("lynne.robbins@fabrikam.example");
        connect("u2", lynne);
        stack.sandbox().exchange().quota().exhaust(lynne.id());
        String subject = "offer " + account;

        String sendId = sendFromTheCrm("u2", "crm-1", subject);
        CrmEvent own = awaitMail(subject);
        JsonNode status = awaitRuns("u2", 2);

        List<MailMessage> copies = sentItems(lynne, subject);
        assertEquals(1, copies.size(), "written once, whatever the runs since");
        assertFalse(copies.get(0).isDraft());
        assertEquals(own.data().path("internetMessageId").asText(), copies.get(0).internetMessageId());
        assertEquals("email.sent_by_crm", own.type());
        assertEquals(sendId, own.data().path("crmSendId").asText());
        assertEquals(1, mailEvents(subject).size());
        assertEquals(1, stack.crm().timesReceived(own.id()));
        assertEquals(1, status.path("sentReconciliation").path("copiesWrittenTotal").asInt(), status.toString());
        assertTrue(status.path("sentReconciliation").path("lastError").isNull(), status.toString());
    }

    @Test
    void aRestrictedMailboxsSentItemsStayUntouched() throws InterruptedException {
        assertEquals(200, api.setProfile(account, "RESTRICTED").statusCode());
        SandboxUser nestor = stack.sandbox().user("nestor.wilke@contoso.example");
        connect("u3", nestor);
        String subject = "restricted " + account;

        sendFromTheCrm("u3", "crm-2", subject);
        JsonNode status = awaitRuns("u3", 2);

        assertTrue(sentItems(nestor, subject).isEmpty(), "RESTRICTED never writes into the mailbox");
        assertEquals(0, status.path("sentReconciliation").path("copiesWrittenTotal").asInt(), status.toString());
        assertTrue(mailEvents(subject).isEmpty());
    }
}
