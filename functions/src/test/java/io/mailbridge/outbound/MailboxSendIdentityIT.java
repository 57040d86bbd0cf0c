package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.Exchange;
import io.mailbridge.sandbox.exchange.ExchangeSettings;
import io.mailbridge.sandbox.exchange.ExtendedProperty;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.MessageHeader;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.Recipient;
import io.mailbridge.sandbox.exchange.SendDelay;
import io.mailbridge.sandbox.exchange.SendFault;
import io.mailbridge.sandbox.exchange.SendOutcome;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sends through the mailbox against an Exchange that sends asynchronously (202, then the mail waits in Outbox for
 * seconds or minutes before it leaves and its Sent Items copy appears): every mail is delivered exactly once whatever
 * crashes between Graph's 202 and the outbox's writes, a mail Exchange never sends is not reported sent, and a reply
 * stays in its conversation.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class MailboxSendIdentityIT {
    private static final List<String> SENDERS = List.of("adele.vance@contoso.example", "joni.sherman@contoso.example",
            "nestor.wilke@contoso.example");
    private final SendingStack stack;
    private final Exchange exchange;

    MailboxSendIdentityIT(SendingStack stack) {
        this.stack = stack;
        this.exchange = stack.sandbox.exchange();
    }

    @AfterEach
    void exchangeSendsAtItsUsualPaceAgain() {
        SENDERS.forEach(user -> exchange.sendDelay(user, SendDelay.of(ExchangeSettings.defaults().sendDelay())));
    }

    private static String senderOf(OutboxRecord record, List<SendingWorld.Mailbox> mailboxes) {
        return mailboxes.stream().filter(m -> m.accountId().equals(record.accountId())).findFirst().orElseThrow().address();
    }

    private long deliveriesTo(String recipient) {
        return exchange.transportLog().stream().filter(mail -> mail.recipients().contains(recipient)).count();
    }

    private List<MailMessage> withSubject(SandboxUser user, WellKnownFolder folder, String subject) {
        return exchange.mailbox(user.id()).list(folder).stream().filter(m -> subject.equals(m.subject())).toList();
    }

    @Test
    void thirtySixSendsWithSentCopiesUpToTenMinutesLateAndCrashesAfterThe202AreEachDeliveredOnce() {
        SendingWorld world = new SendingWorld(stack);
        List<SendingWorld.Mailbox> mailboxes = SENDERS.stream().map(user -> world.connect(user, Profile.FULL)).toList();
        SENDERS.forEach(user -> exchange.sendDelay(user, new SendDelay(Duration.ofSeconds(1), Duration.ofMinutes(10))));
        String run = UniqueNames.next("burst");
        Map<String, String> recipientBySend = new HashMap<>();
        Map<String, OutboxRecord> queued = new HashMap<>();
        Map<String, String> contents = new HashMap<>();
        for (int i = 0; i < 36; i++) {
            SendingWorld.Mailbox from = mailboxes.get(i % mailboxes.size());
            String recipient = "buyer-" + i + "." + run + "@prospects.example";
            String sendId = SendingWorld.json(world.requestSend(from, SendingWorld.mail(run + "-" + i, recipient, run + " #" + i)))
                    .path("send").path("sendId").asText();
            recipientBySend.put(sendId, recipient);
            queued.put(sendId, world.record(sendId));
            contents.put(sendId, world.contentOf(queued.get(sendId)));
        }

        // First attempts, four at once; then every other send whose mail Exchange accepted loses its attempt right after the 202.
        world.drain(4);
        List<String> crashed = new ArrayList<>();
        List<OutboxRecord> accepted = world.records().stream().filter(r -> r.delivery().mailboxMessageId() != null).toList();
        for (int i = 0; i < accepted.size(); i += 2) {
            String sendId = accepted.get(i).sendId();
            world.dieAfterSending(queued.get(sendId), contents.get(sendId), Transport.MAILBOX);
            crashed.add(sendId);
        }
        assertTrue(crashed.size() >= 6, "crashes were injected: " + crashed.size());
        assertTrue(crashed.stream().map(world::record).anyMatch(r -> exchange.mailbox(stack.sandbox.user(senderOf(r, mailboxes)).id())
                .get(r.delivery().mailboxMessageId()).map(m -> m.folder() == WellKnownFolder.OUTBOX).orElse(false)), "some crashed sends are still in Outbox");
        world.settle(4);

        for (OutboxRecord record : world.records()) {
            assertEquals(SendState.SENT, record.state(), record.sendId() + ": " + record.attempt().reason());
            assertEquals(Transport.MAILBOX, record.attempt().transport());
            assertEquals(1, deliveriesTo(recipientBySend.get(record.sendId())), "delivered exactly once: " + record.sendId());
        }
        for (String user : SENDERS) {
            SandboxUser sender = stack.sandbox.user(user);
            List<MailMessage> all = exchange.mailbox(sender.id()).all().stream().filter(m -> m.subject() != null && m.subject().startsWith(run)).toList();
            assertTrue(all.stream().allMatch(m -> m.folder() == WellKnownFolder.SENT_ITEMS), "no draft or Outbox copy left behind");
            assertEquals(all.size(), all.stream().map(MailMessage::subject).distinct().count(), "one Sent Items copy per send");
        }
        assertEquals(36, exchange.transportLog().stream().filter(m -> m.message().subject().startsWith(run)).count());
    }

    @Test
    void anAttemptThatDiedBeforeSendingItsDraftIsFollowedBySendingThatSameDraft() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("drafted");
        String recipient = subject + "@prospects.example";
        String sendId = SendingWorld.json(world.requestSend(adele, SendingWorld.mail(subject, recipient, subject))).path("send").path("sendId").asText();

        String draftId = world.dieAfterDrafting(world.record(sendId));
        assertEquals(1, withSubject(adele.user(), WellKnownFolder.DRAFTS, subject).size());
        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(draftId, sent.delivery().mailboxMessageId());
        List<MailMessage> copies = withSubject(adele.user(), WellKnownFolder.SENT_ITEMS, subject);
        assertEquals(1, copies.size());
        assertEquals(draftId, copies.get(0).immutableId(), "the draft itself was sent: its immutable id is the Sent Items copy's");
        assertEquals(0, withSubject(adele.user(), WellKnownFolder.DRAFTS, subject).size());
        assertEquals(1, deliveriesTo(recipient));
    }

    @Test
    void aDraftLeftByAnAttemptThatDiedBeforeRecordingItIsDeletedAndTheMailLeavesOnce() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("orphan");
        String recipient = subject + "@prospects.example";
        String sendId = SendingWorld.json(world.requestSend(adele, SendingWorld.mail(subject, recipient, subject))).path("send").path("sendId").asText();
        OutboxRecord queued = world.record(sendId);
        // The dead attempt made its draft (marked with the send id) and died before the outbox heard of it.
        MailMessage orphan = exchange.mailbox(adele.user().id()).createItem(WellKnownFolder.DRAFTS,
                new NewMessage(subject, "text", "Hello from the CRM", null, List.of(new Recipient(recipient, recipient)), List.of(), List.of(),
                        List.of(), null, List.of(), List.of(new ExtendedProperty(GraphSender.SEND_ID_PROPERTY, sendId)), List.of(), null, null,
                        null, null));
        world.dieAfterSending(queued, world.contentOf(queued), Transport.MAILBOX);
        world.settle();

        assertEquals(SendState.SENT, world.record(sendId).state());
        assertTrue(exchange.mailbox(adele.user().id()).get(orphan.immutableId()).map(m -> m.folder() == WellKnownFolder.DELETED_ITEMS).orElse(true),
                "the orphan draft is deleted");
        assertEquals(0, withSubject(adele.user(), WellKnownFolder.DRAFTS, subject).size());
        assertEquals(1, deliveriesTo(recipient));
    }

    @Test
    void aMailExchangeAcceptsButNeverSendsEndsFailedWithTheReasonNotSent() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("stuck");
        String recipient = subject + "@prospects.example";
        exchange.sendFault(adele.user().id(), SendFault.NEVER_SENT);
        String sendId = SendingWorld.json(world.requestSend(adele, SendingWorld.mail(subject, recipient, subject))).path("send").path("sendId").asText();

        world.drain();
        OutboxRecord waiting = world.record(sendId);
        assertEquals(SendState.SUBMITTED, waiting.state());
        assertTrue(waiting.attempt().reason().contains("Exchange has not sent it yet"), waiting.attempt().reason());
        assertNotNull(SendStatus.of(waiting).submittedAt());
        world.settle();

        OutboxRecord failed = world.record(sendId);
        assertEquals(SendState.FAILED, failed.state());
        assertTrue(failed.attempt().reason().contains("still in the mailbox's Outbox"), failed.attempt().reason());
        assertTrue(Duration.between(failed.delivery().submittedAt(), failed.updatedAt()).compareTo(OutboundSender.SUBMISSION_GRACE) >= 0);
        assertEquals(1, withSubject(adele.user(), WellKnownFolder.OUTBOX, subject).size());
        assertEquals(0, deliveriesTo(recipient));
        assertEquals(List.of("FAILED"), world.eventsOf(sendId).stream().map(e -> e.data().path("state").asText()).toList());
    }

    @Test
    void aReplyThroughTheMailboxIsInTheProspectsConversation() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        SandboxUser prospect = stack.sandbox.user("alex.wilber@contoso.example");
        String subject = UniqueNames.next("pricing question");
        SendOutcome.Sent asked = (SendOutcome.Sent) exchange.send(prospect.id(),
                NewMessage.simple(prospect.mail(), List.of(adele.address()), subject, "What does it cost?"), true);
        world.exchangeSendsWhatItAccepted();
        String question = asked.internetMessageId();
        MailMessage askedCopy = exchange.mailbox(prospect.id()).get(asked.submitted().immutableId()).orElseThrow();

        String body = "{\"idempotencyKey\":\"" + subject + "\",\"to\":[\"" + prospect.mail() + "\"],\"subject\":\"RE: " + subject
                + "\",\"text\":\"It costs little.\",\"inReplyTo\":\"" + question + "\",\"references\":[\"" + question + "\"]}";
        String sendId = SendingWorld.json(world.requestSend(adele, body)).path("send").path("sendId").asText();
        world.settle();

        assertEquals(SendState.SENT, world.record(sendId).state());
        MailMessage received = exchange.mailbox(prospect.id()).list(WellKnownFolder.INBOX).stream()
                .filter(m -> ("RE: " + subject).equals(m.subject())).findFirst().orElseThrow();
        Map<String, String> headers = received.internetMessageHeaders().stream()
                .collect(Collectors.toMap(h -> h.name().toLowerCase(), MessageHeader::value, (a, b) -> a));
        assertEquals(question, headers.get("in-reply-to"));
        assertTrue(headers.get("references").contains(question), headers.get("references"));
        assertEquals(world.record(sendId).message().internetMessageId(), received.internetMessageId());
        assertEquals(askedCopy.conversationId(), received.conversationId(), "the prospect sees one conversation");
        MailMessage sentCopy = withSubject(adele.user(), WellKnownFolder.SENT_ITEMS, "RE: " + subject).get(0);
        MailMessage inAdelesInbox = withSubject(adele.user(), WellKnownFolder.INBOX, subject).get(0);
        assertEquals(inAdelesInbox.conversationId(), sentCopy.conversationId(), "Outlook shows the reply in the question's conversation");
        assertTrue(sentCopy.extendedProperties().stream().anyMatch(p -> p.id().equalsIgnoreCase(GraphSender.SEND_ID_PROPERTY)
                && p.value().equals(sendId)), "the copy carries the send's mark for the Sent-folder sync");
        assertTrue(exchange.transportLog().stream().noneMatch(m -> m.message().subject().equals("RE: " + subject)),
                "a sandbox recipient gets it by delivery, not through the internet");
    }
}
