package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.graph.GraphFault;
import io.mailbridge.sandbox.smtp.RelayedMail;
import io.mailbridge.sandbox.smtp.SmtpFault;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Throttling and failures of Graph and of the relay: retried with the server's pause or a back-off, or failed with its reason. */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboundFaultsIT {
    private final SendingStack stack;

    OutboundFaultsIT(SendingStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void clearFaults() {
        stack.sandbox.users().forEach(user -> stack.sandbox.throttling().clearFaults(user.id()));
        stack.relay.reset();
    }

    private String send(SendingWorld world, SendingWorld.Mailbox mailbox, String body) {
        return SendingWorld.json(world.requestSend(mailbox, body)).path("send").path("sendId").asText();
    }

    private List<String> states(SendingWorld world, String sendId) {
        return world.eventsOf(sendId).stream().map(e -> e.data().path("state").asText()).toList();
    }

    /** The queue function never throws here (drain would fail the test), so the host never parks the message in poison. */
    @Test
    void aStormOf429sIsWaitedOutWithRetryAfterThroughTheQueueAndTheMailLeavesOnce() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        stack.sandbox.throttling().inject(adele.user().id(), new GraphFault.Throttled(Duration.ofSeconds(7)), 4);
        String subject = UniqueNames.next("storm");
        String sendId = send(world, adele, SendingWorld.mail("storm-1", "buyer@prospects.example", subject));

        world.drain();
        OutboxRecord throttled = world.record(sendId);
        assertEquals(SendState.RETRYING, throttled.state());
        // Within a second of Graph's 7 s (a whole-long comparison: assertEquals(long, long, delta) would widen to float).
        Duration offBy = Duration.between(world.clock.instant().plusSeconds(7), throttled.attempt().nextAttemptAt()).abs();
        assertTrue(offBy.compareTo(Duration.ofSeconds(1)) <= 0, "next attempt at Graph's Retry-After, off by " + offBy);
        QueueClient queue = stack.storage.queues().getQueueClient(StorageNames.OUTBOUND_MAIL_QUEUE);
        assertTrue(queue.getProperties().getApproximateMessagesCount() >= 1, "rescheduled as a queue message Azurite keeps invisible");
        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(Transport.MAILBOX, sent.attempt().transport());
        assertEquals(5, sent.attempt().attempts());
        assertEquals(0, sent.attempt().failures(), "throttling is no failure of the mail");
        assertEquals(List.of("RETRYING", "RETRYING", "RETRYING", "RETRYING", "SENT"), states(world, sendId));
        assertTrue(world.eventsOf(sendId).get(0).data().path("reason").asText().contains("429"));
        assertEquals(1, stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).count());
    }

    @Test
    void afterAGraphServerErrorTheNextAttemptLooksInTheMailboxBeforeSendingAgain() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        // The first fault meets sendMail; the second meets the next attempt's look into the mailbox.
        stack.sandbox.throttling().inject(adele.user().id(), new GraphFault.ServerError(503), 2);
        String subject = UniqueNames.next("server-error");
        String sendId = send(world, adele, SendingWorld.mail("5xx-1", "buyer@prospects.example", subject));

        world.drain();
        assertTrue(world.record(sendId).delivery().maybeSentByMailbox(), "a 503 gives no certain answer");
        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(2, sent.attempt().attempts(), "the failed look into the mailbox sent nothing and counted no attempt");
        assertEquals(List.of("RETRYING", "RETRYING", "SENT"), states(world, sendId));
        assertEquals(1, stack.sandbox.exchange().mailbox(adele.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).count());
    }

    @Test
    void aRelayThatDefersTwiceTakesTheMailOnTheThirdAttemptWithItsThreadingHeaders() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        stack.relay.failNext(2, SmtpFault.serverBusy());
        String subject = UniqueNames.next("deferred");
        String sendId = send(world, alex, "{\"idempotencyKey\":\"defer-1\",\"to\":[\"buyer@prospects.example\"],\"subject\":\"" + subject
                + "\",\"text\":\"Re: your question\",\"inReplyTo\":\"<q1@prospects.example>\",\"references\":[\"<q0@prospects.example>\","
                + "\"<q1@prospects.example>\"]}");

        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(Transport.SMTP, sent.attempt().transport());
        assertEquals(3, sent.attempt().attempts());
        assertEquals(2, sent.attempt().failures());
        assertEquals(2, stack.relay.refusals().stream().filter(r -> r.mail().subject().orElse("").equals(subject)).count());
        RelayedMail relayed = stack.relay.messages().stream().filter(m -> m.subject().orElse("").equals(subject)).findFirst().orElseThrow();
        assertEquals("<q1@prospects.example>", relayed.header("In-Reply-To").orElseThrow());
        assertEquals("<q0@prospects.example> <q1@prospects.example>", relayed.header("References").orElseThrow());
        assertEquals(List.of("RETRYING", "RETRYING", "SENT"), states(world, sendId));
        assertTrue(world.eventsOf(sendId).get(0).data().path("reason").asText().contains("451 4.7.500 Server busy"));
    }

    @Test
    void aPermanentRefusalOfTheRelayFailsTheMailWithTheRelaysReason() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        stack.relay.failNext(1, SmtpFault.reply(550, "5.7.60 Client does not have permissions to send as this sender"));
        String sendId = send(world, alex, SendingWorld.mail("refused-1", "buyer@prospects.example", UniqueNames.next("refused")));

        world.settle();

        OutboxRecord failed = world.record(sendId);
        assertEquals(SendState.FAILED, failed.state());
        String reason = "The SMTP relay refused the mail: 550 5.7.60 Client does not have permissions to send as this sender";
        assertEquals(reason, failed.attempt().reason());
        JsonNode status = SendingWorld.json(world.sendStatus(alex, sendId));
        assertEquals("FAILED", status.path("state").asText());
        assertEquals(reason, status.path("reason").asText());
        CrmEvent event = world.eventsOf(sendId).get(0);
        assertEquals("FAILED", event.data().path("state").asText());
        assertEquals(reason, event.data().path("reason").asText());
        assertFalse(world.contentKept(failed), "nothing left to send, nothing kept");
    }

    @Test
    void aConnectionTheRelayDropsAfterTheMessageIsRetriedAndMarkedAsAPossibleDuplicate() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        stack.relay.failNext(1, SmtpFault.dropConnection());
        String subject = UniqueNames.next("dropped");
        String sendId = send(world, alex, SendingWorld.mail("dropped-1", "buyer@prospects.example", subject));

        world.settle();

        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(2, sent.attempt().attempts());
        assertTrue(sent.delivery().possibleDuplicate(), "without the relay's reply nobody knows whether the first one went out");
        assertEquals(1, stack.relay.messages().stream().filter(m -> m.subject().orElse("").equals(subject)).count());
    }

    @Test
    void aRelayWhoseOwnQuotaIsSpentIsLeftAloneForAWhileInsteadOfFailingTheMail() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        stack.relay.failNext(1, SmtpFault.quotaExceeded());
        String sendId = send(world, alex, SendingWorld.mail("relay-quota-1", "buyer@prospects.example", UniqueNames.next("relay-quota")));

        world.drain();
        OutboxRecord waiting = world.record(sendId);
        assertEquals(SendState.RETRYING, waiting.state());
        assertEquals(SmtpSender.RELAY_QUOTA_PAUSE, Duration.between(waiting.updatedAt(), waiting.attempt().nextAttemptAt()));
        world.settle();

        assertEquals(SendState.SENT, world.record(sendId).state());
        assertEquals(0, world.record(sendId).attempt().failures());
    }
}
