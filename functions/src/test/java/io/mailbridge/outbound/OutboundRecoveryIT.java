package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.smtp.RelayedMail;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No mail twice: repeated requests, and a sender that dies between sending and recording. */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboundRecoveryIT {
    private final SendingStack stack;

    OutboundRecoveryIT(SendingStack stack) {
        this.stack = stack;
    }

    private long sentItemsWith(SendingWorld.Mailbox mailbox, String subject) {
        return stack.sandbox.exchange().mailbox(mailbox.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).count();
    }

    private List<RelayedMail> relayedWith(String subject) {
        return stack.relay.messages().stream().filter(m -> m.subject().orElse("").equals(subject)).toList();
    }

    @Test
    void theSameKeyTwiceAnswersTheFirstSendAndADifferentMailUnderItIsRefused() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("twice");
        String body = SendingWorld.mail("crm-msg-1", "buyer@prospects.example", subject);

        HttpResponseMessage first = world.requestSend(adele, body);
        HttpResponseMessage again = world.requestSend(adele, body);
        world.settle();
        HttpResponseMessage afterwards = world.requestSend(adele, body);
        HttpResponseMessage otherMail = world.requestSend(adele, SendingWorld.mail("crm-msg-1", "buyer@prospects.example", subject + " v2"));

        assertEquals(202, first.getStatusCode());
        assertEquals(200, again.getStatusCode());
        String sendId = SendingWorld.json(first).path("send").path("sendId").asText();
        assertEquals(sendId, SendingWorld.json(again).path("send").path("sendId").asText());
        assertEquals("http://localhost:7071/api/accounts/" + adele.accountId() + "/mailboxes/" + adele.userId() + "/sends/" + sendId,
                SendingWorld.json(first).path("statusUrl").asText());
        assertEquals(200, afterwards.getStatusCode());
        assertEquals("SENT", SendingWorld.json(afterwards).path("send").path("state").asText());
        assertEquals(409, otherMail.getStatusCode());
        assertEquals("idempotencyKey", SendingWorld.json(otherMail).path("field").asText());
        assertEquals(1, sentItemsWith(adele, subject), "one mail, though the second request queued the send again");
        assertEquals(1, world.eventsOf(sendId).size());
    }

    @Test
    void concurrentRequestsWithTheSameKeyMakeOneSend() throws Exception {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        String subject = UniqueNames.next("race");
        String body = SendingWorld.mail("crm-race", "buyer@prospects.example", subject);
        CyclicBarrier together = new CyclicBarrier(4);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<HttpResponseMessage>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(callers.submit(() -> {
                    together.await();
                    return world.requestSend(alex, body);
                }));
            }
            for (Future<HttpResponseMessage> answer : answers) {
                statuses.add(answer.get().getStatusCode());
            }
        } finally {
            callers.shutdownNow();
        }
        world.settle();

        assertEquals(1, statuses.stream().filter(status -> status == 202).count(), statuses.toString());
        assertEquals(3, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
        assertEquals(1, relayedWith(subject).size());
    }

    @Test
    void aSenderThatDiedAfterTheMailboxTookTheMailFindsItThereAndDoesNotSendAgain() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String subject = UniqueNames.next("crash-mailbox");
        String sendId = SendingWorld.json(world.requestSend(adele, SendingWorld.mail("crm-crash-1", "buyer@prospects.example", subject)))
                .path("send").path("sendId").asText();
        OutboxRecord queued = world.record(sendId);
        String content = world.contentOf(queued);
        world.settle();
        assertEquals(SendState.SENT, world.record(sendId).state());

        // The crash: the attempt that sent it died after Graph's 202; the outbox says what its claim and the draft's id wrote.
        world.dieAfterSending(queued, content, Transport.MAILBOX);
        // The host hands the message over again while the dead attempt's lease still holds: it waits.
        world.release(sendId);
        assertEquals(SendState.SENDING, world.record(sendId).state());
        world.settle();

        OutboxRecord recovered = world.record(sendId);
        assertEquals(SendState.SENT, recovered.state());
        assertEquals(Transport.MAILBOX, recovered.attempt().transport());
        assertEquals(1, recovered.attempt().attempts(), "found in the mailbox, not sent again");
        assertEquals(queued.message().internetMessageId(), recovered.message().internetMessageId());
        assertEquals(1, sentItemsWith(adele, subject));
        assertEquals(1, stack.sandbox.exchange().transportLog().stream().filter(m -> subject.equals(m.message().subject())).count());
        List<CrmEvent> events = world.eventsOf(sendId);
        assertEquals(1, events.size());
        assertEquals(2, stack.crm.timesReceived(events.get(0).id()), "told again after the crash, under the same event id");
    }

    @Test
    void aSenderThatDiedAfterTheRelayTookTheMailSendsItAgainWithTheSameMessageIdMarkedAsAPossibleDuplicate() {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox alex = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
        String subject = UniqueNames.next("crash-relay");
        String sendId = SendingWorld.json(world.requestSend(alex, SendingWorld.mail("crm-crash-2", "buyer@prospects.example", subject)))
                .path("send").path("sendId").asText();
        OutboxRecord queued = world.record(sendId);
        String content = world.contentOf(queued);
        world.drain();

        world.dieAfterSending(queued, content, Transport.SMTP);
        world.settle();

        // The one window that cannot be closed: nobody can ask the relay whether it took the mail.
        List<RelayedMail> relayed = relayedWith(subject);
        assertEquals(2, relayed.size());
        assertEquals(queued.message().internetMessageId(), relayed.get(0).messageId().orElseThrow());
        assertEquals(queued.message().internetMessageId(), relayed.get(1).messageId().orElseThrow());
        assertEquals(List.of(sendId, sendId), relayed.stream().map(m -> m.header("X-Mailbridge-Send-Id").orElseThrow()).toList());
        OutboxRecord resent = world.record(sendId);
        assertEquals(SendState.SENT, resent.state());
        assertTrue(resent.delivery().possibleDuplicate());
        List<CrmEvent> events = world.eventsOf(sendId);
        assertEquals(2, events.size());
        assertTrue(events.get(1).data().path("possibleDuplicate").asBoolean());
        JsonNode status = SendingWorld.json(world.sendStatus(alex, sendId));
        assertTrue(status.path("possibleDuplicate").asBoolean());
    }
}
