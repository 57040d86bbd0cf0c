package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.OutboundMail;
import io.mailbridge.sandbox.exchange.SendingLimits;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.smtp.RelayedMail;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mailbox's rolling 24-hour quota and the switch to the custom SMTP relay and back, on the real parts. */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboundQuotaIT {
    private final SendingStack stack;

    OutboundQuotaIT(SendingStack stack) {
        this.stack = stack;
        // A fresh 24-hour window for every sandbox mailbox: the clock only moves forward, and all tests share it.
        stack.sandbox.clock().advance(Duration.ofHours(25));
    }

    @AfterEach
    void restoreExchangesLimits() {
        stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline());
    }

    @Test
    void eightyMailsOverAFiftyRecipientQuotaLeaveFiftyByTheMailboxThirtyByTheRelayNoneFailedNoneTwice() {
        SendingWorld world = worldLimitedTo(50, 30);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        String run = UniqueNames.next("quota");

        for (int i = 1; i <= 80; i++) {
            assertEquals(202, world.requestSend(adele, SendingWorld.mail("k" + i, "prospect" + i + "@prospects.example", run + " #" + i))
                    .getStatusCode());
            if (i % 16 == 0) {
                world.requestSend(alex, SendingWorld.mail("r" + i, "lead" + i + "@prospects.example", run + " restricted #" + i));
            }
        }
        world.settle();

        List<OutboxRecord> adeles = world.records().stream().filter(r -> r.userId().equals(adele.userId())).toList();
        List<OutboxRecord> alexes = world.records().stream().filter(r -> r.userId().equals(alex.userId())).toList();
        assertEquals(80, adeles.size());
        assertTrue(adeles.stream().allMatch(r -> r.state() == SendState.SENT), "none failed");
        Map<Transport, Long> byTransport = adeles.stream().collect(Collectors.groupingBy(r -> r.attempt().transport(), Collectors.counting()));
        assertEquals(Map.of(Transport.MAILBOX, 50L, Transport.SMTP, 30L), byTransport);
        assertTrue(adeles.stream().allMatch(r -> r.attempt().attempts() == 1), "paced and counted, the mailbox never refused one");
        assertEquals(20, adeles.stream().filter(r -> r.attempt().transport() == Transport.MAILBOX
                && Duration.between(r.createdAt(), r.delivery().sentAt()).compareTo(Duration.ofSeconds(45)) >= 0).count(),
                "30 messages a minute: the 31st to 50th waited for the next minute");

        // What actually left: through Exchange (its transport log and Sent Items) and through the relay.
        List<OutboundMail> byExchange = byExchange(run);
        List<MailMessage> sentItems = stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> m.subject() != null && m.subject().startsWith(run + " #")).toList();
        List<RelayedMail> byRelay = stack.relay.messages().stream()
                .filter(m -> m.subject().orElse("").startsWith(run + " #")).toList();
        assertEquals(50, byExchange.size());
        assertEquals(50, sentItems.size());
        assertEquals(30, byRelay.size());
        Set<String> everyRecipient = new HashSet<>();
        byExchange.forEach(m -> everyRecipient.addAll(m.recipients()));
        byRelay.forEach(m -> everyRecipient.addAll(m.envelopeRecipients()));
        assertEquals(80, everyRecipient.size(), "each of the 80 recipients got exactly one mail");
        assertTrue(byRelay.stream().allMatch(m -> m.header("From").orElse("").equals(adele.address())));
        assertTrue(byRelay.stream().allMatch(m -> m.envelopeSender().equals("bounces@crm.example")));
        Map<String, OutboxRecord> bySendId = adeles.stream().collect(Collectors.toMap(OutboxRecord::sendId, Function.identity()));
        for (RelayedMail mail : byRelay) {
            OutboxRecord record = bySendId.get(mail.header("X-Mailbridge-Send-Id").orElseThrow());
            assertEquals(record.message().internetMessageId(), mail.messageId().orElseThrow());
            assertEquals(WriteBack.PENDING, record.reporting().writeBack(), "FULL mail sent by the relay is written back into Sent Items later");
        }
        assertTrue(adeles.stream().filter(r -> r.attempt().transport() == Transport.MAILBOX).allMatch(r -> r.reporting().writeBack() == WriteBack.NONE));

        // RESTRICTED, in the same flow: the relay only, never the mailbox, nothing to write back.
        assertEquals(5, alexes.size());
        assertTrue(alexes.stream().allMatch(r -> r.state() == SendState.SENT && r.attempt().transport() == Transport.SMTP
                && r.reporting().writeBack() == WriteBack.NONE));
        assertEquals(0, stack.sandbox.exchange().quota().recipientsInWindow(alex.user().id()));

        // The CRM heard each outcome once.
        for (OutboxRecord record : world.records()) {
            List<io.mailbridge.sandbox.crm.CrmEvent> events = world.eventsOf(record.sendId());
            assertEquals(1, events.size(), record.sendId());
            assertEquals("SENT", events.get(0).data().path("state").asText());
            assertEquals(record.attempt().transport().name(), events.get(0).data().path("transport").asText());
            assertEquals(record.message().internetMessageId(), events.get(0).data().path("internetMessageId").asText());
            assertEquals(1, stack.crm.timesReceived(events.get(0).id()));
        }

        JsonNode sending = SendingWorld.json(world.sendingStatus(adele));
        assertEquals("SMTP", sending.path("transport").asText());
        assertEquals("COUNTED", sending.path("fallbackBecause").asText());
        assertEquals(50, sending.path("recipientsInWindow").asInt());
        assertEquals(50, sending.path("recipientsPerDay").asInt());

        // Past the window, mail goes through the mailbox again.
        world.clock.advance(Duration.ofHours(24).plusMinutes(5));
        JsonNode back = SendingWorld.json(world.sendingStatus(adele));
        assertEquals("MAILBOX", back.path("transport").asText());
        assertTrue(back.path("fallbackUntil").isNull());
        String nextDay = SendingWorld.json(world.requestSend(adele, SendingWorld.mail("k81", "prospect81@prospects.example", run + " #81")))
                .path("send").path("sendId").asText();
        world.settle();
        assertEquals(Transport.MAILBOX, world.record(nextDay).attempt().transport());
        assertEquals(SendState.SENT, world.record(nextDay).state());
    }

    @Test
    void exchangesOwnRefusalForItsQuotaSwitchesToTheRelayUntilTheWindowFrees() {
        // The app counts Exchange Online's 10,000, but this mailbox's real limit is 3: Exchange says so itself.
        stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline().withRecipientsPerDay(3));
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String run = UniqueNames.next("reported");

        for (int i = 1; i <= 5; i++) {
            world.requestSend(adele, SendingWorld.mail("k" + i, "buyer" + i + "@prospects.example", run + " #" + i));
        }
        world.settle();

        List<OutboxRecord> records = world.records();
        assertEquals(List.of(Transport.MAILBOX, Transport.MAILBOX, Transport.MAILBOX, Transport.SMTP, Transport.SMTP),
                records.stream().map(r -> r.attempt().transport()).toList());
        assertTrue(records.stream().allMatch(r -> r.state() == SendState.SENT));
        assertEquals(2, records.get(3).attempt().attempts(), "the mailbox refused it, the relay took it in the same run");
        assertEquals(1, records.get(4).attempt().attempts(), "once Exchange said so, mail goes straight to the relay");
        JsonNode sending = SendingWorld.json(world.sendingStatus(adele));
        assertEquals("SMTP", sending.path("transport").asText());
        assertEquals("REPORTED", sending.path("fallbackBecause").asText());
        assertEquals(1, world.eventsOf(records.get(3).sendId()).size(), "the switch itself is no outcome for the CRM");
        assertNull(world.eventsOf(records.get(3).sendId()).get(0).data().get("reason"));

        world.clock.advance(Duration.ofHours(24).plusMinutes(1));
        world.requestSend(adele, SendingWorld.mail("k6", "buyer6@prospects.example", run + " #6"));
        world.settle();
        assertEquals(Transport.MAILBOX, world.records().get(5).attempt().transport());
    }

    @Test
    void twoCrmAccountsConnectingOneMailboxShareItsCountAndSwitchToTheRelayAtTheLimitWithoutARefusedAttempt() {
        SendingWorld world = worldLimitedTo(10, 30);
        SendingWorld.Mailbox sales = world.connect("adele.vance@contoso.example", Profile.FULL);
        SendingWorld.Mailbox support = world.connect("adele.vance@contoso.example", Profile.FULL);
        // Eight each: either connection alone stays under 10, together they pass it.
        String run = requestFromEach(world, List.of(sales, support), 8);
        world.settle();

        List<OutboxRecord> records = world.records();
        assertEquals(16, records.size());
        assertTrue(records.stream().allMatch(r -> r.state() == SendState.SENT), "none failed");
        assertTrue(records.stream().allMatch(r -> r.attempt().attempts() == 1), "the shared count switched first: Exchange never refused one");
        assertEquals(Map.of(Transport.MAILBOX, 10L, Transport.SMTP, 6L),
                records.stream().collect(Collectors.groupingBy(r -> r.attempt().transport(), Collectors.counting())));
        assertEquals(10, byExchange(run).size());
        assertEquals(10, stack.sandbox.exchange().quota().recipientsInWindow(sales.user().id()));

        // Both connections show the mailbox's figures, not their own share.
        for (SendingWorld.Mailbox connection : List.of(sales, support)) {
            JsonNode sending = SendingWorld.json(world.sendingStatus(connection));
            assertEquals("MAILBOX", sending.path("quotaScope").asText());
            assertEquals(sales.address(), sending.path("mailboxAddress").asText());
            assertEquals(10, sending.path("recipientsInWindow").asInt());
            assertEquals("SMTP", sending.path("transport").asText());
            assertEquals("COUNTED", sending.path("fallbackBecause").asText());
        }
    }

    @Test
    void parallelSendersOnOneMailboxKeepExactlyToItsPaceAndItsDailyRecipients() {
        SendingWorld world = worldLimitedTo(12, 5);
        String run = requestFromEach(world, List.of(world.connect("adele.vance@contoso.example", Profile.FULL),
                world.connect("adele.vance@contoso.example", Profile.FULL)), 10);

        world.settle(6);

        List<OutboxRecord> records = world.records();
        assertTrue(records.stream().allMatch(r -> r.state() == SendState.SENT && r.attempt().attempts() == 1),
                () -> "neither Exchange's pace nor its quota refused one: " + records.stream().map(r -> r.message().idempotencyKey() + " " + r.state()
                        + " after " + r.attempt().attempts()).toList());
        assertEquals(12, records.stream().filter(r -> r.attempt().transport() == Transport.MAILBOX).count(),
                "exactly the day's 12 recipients through the mailbox");
        assertEquals(8, records.stream().filter(r -> r.attempt().transport() == Transport.SMTP).count());
        List<Instant> atExchange = byExchange(run).stream().map(OutboundMail::at).toList();
        assertEquals(12, atExchange.size());
        long busiestMinute = atExchange.stream().mapToLong(at -> atExchange.stream()
                .filter(other -> !other.isAfter(at) && other.plus(Duration.ofMinutes(1)).isAfter(at)).count()).max().orElseThrow();
        assertEquals(5, busiestMinute, "the pace was reached and never passed: 5 messages in the busiest minute at Exchange");
    }

    /** A world whose app counts the limits that Exchange (the sandbox) applies to its mailboxes. */
    private SendingWorld worldLimitedTo(int recipientsPerDay, int messagesPerMinute) {
        stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline().withRecipientsPerDay(recipientsPerDay)
                .withMessagesPerMinute(messagesPerMinute));
        return new SendingWorld(stack, Map.of("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY", Integer.toString(recipientsPerDay),
                "MAILBRIDGE_SEND_MESSAGES_PER_MINUTE", Integer.toString(messagesPerMinute)));
    }

    /** {@code each} one-recipient mails requested through every connection, in turns; returns the run's subject prefix. */
    private static String requestFromEach(SendingWorld world, List<SendingWorld.Mailbox> connections, int each) {
        String run = UniqueNames.next("run");
        for (int i = 1; i <= each; i++) {
            for (SendingWorld.Mailbox connection : connections) {
                String key = connection.accountId() + "-" + i;
                world.requestSend(connection, SendingWorld.mail(key, key + "@prospects.example", run + " #" + key));
            }
        }
        return run;
    }

    /** What Exchange sent of a run's mail, by the subjects' prefix. */
    private List<OutboundMail> byExchange(String run) {
        return stack.sandbox.exchange().transportLog().stream()
                .filter(m -> m.message().subject() != null && m.message().subject().startsWith(run + " #")).toList();
    }
}
