package io.mailbridge.sentsync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.http.Json;
import io.mailbridge.inbound.MailChangesFunction;
import io.mailbridge.webhook.NotificationIntake;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.outbound.GraphSender;
import io.mailbridge.outbound.OutboxRecord;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.outbound.Transport;
import io.mailbridge.outbound.WriteBack;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.ExtendedProperty;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.Recipient;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.graph.GraphFault;
import io.mailbridge.storage.Payloads;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Sent-folder reconciliation on the real parts (Azurite, the Microsoft 365 sandbox through MSAL4J and the Graph SDK,
 * the SMTP relay, the CRM stand-in), its timer and queue functions run as the host runs them.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class SentReconciliationIT {
    private static final String ADELE = "adele.vance@contoso.example";
    private static final String ALEX = "alex.wilber@contoso.example";
    private static final String NESTOR = "nestor.wilke@contoso.example";
    private static final String JONI = "joni.sherman@contoso.example";
    private static final String DIEGO = "diego.siciliani@fabrikam.example";
    private static final String LYNNE = "lynne.robbins@fabrikam.example";

    private final SendingStack stack;
    private final ReconcilingWorld world;
    private final Payloads payloads;
    private final String run = UniqueNames.next("sent");
    private final List<String> touched = new ArrayList<>();

    SentReconciliationIT(SendingStack stack) {
        this.stack = stack;
        // A fresh 24-hour sending window for every sandbox mailbox: the clock only moves forward, and all tests share it.
        stack.sandbox.clock().advance(Duration.ofHours(25));
        this.world = new ReconcilingWorld(stack);
        this.payloads = new Payloads(stack.storage);
    }

    @AfterEach
    void clearFaults() {
        for (String user : touched) {
            stack.sandbox.throttling().clearFaults(stack.sandbox.user(user).id());
            stack.sandbox.throttling().latency(stack.sandbox.user(user).id(), Duration.ZERO);
        }
    }

    private SendingWorld.Mailbox connect(String user, Profile profile, SyncMode mode) {
        touched.add(user);
        return world.connect(user, profile, mode);
    }

    /** A CRM send request with both body forms, a Cc and an attachment. */
    private static String crmMail(String key, String to, String subject) {
        String pdf = Base64.getEncoder().encodeToString(("%PDF offer for " + subject).getBytes(StandardCharsets.UTF_8));
        return "{\"idempotencyKey\":\"" + key + "\",\"to\":[{\"address\":\"" + to + "\",\"name\":\"The Buyer\"}],"
                + "\"cc\":[\"assistant@prospects.example\"],\"subject\":\"" + subject + "\",\"text\":\"Our offer\","
                + "\"html\":\"<p>Our <b>offer</b></p>\",\"attachments\":[{\"name\":\"offer.pdf\",\"contentType\":\"application/pdf\","
                + "\"contentBase64\":\"" + pdf + "\"}]}";
    }

    /** The CRM sends while Exchange reports the mailbox's quota spent: the mail leaves by the custom SMTP relay. */
    private OutboxRecord sendByTheRelay(SendingWorld.Mailbox mailbox, String key, String subject) {
        stack.sandbox.exchange().quota().exhaust(mailbox.user().id());
        OutboxRecord sent = world.sendFromTheCrm(mailbox, key, crmMail(key, ReconcilingWorld.prospectOf(mailbox), subject));
        assertEquals(Transport.SMTP, sent.attempt().transport());
        return sent;
    }

    private static String mark(MailMessage message) {
        return message.extendedProperties().stream().filter(p -> p.id().equalsIgnoreCase(GraphSender.SEND_ID_PROPERTY))
                .map(ExtendedProperty::value).findFirst().orElse(null);
    }

    // ---- mailbox -> CRM ----

    @Test
    void mailSentFromOutlookReachesTheCrmOnceAsEmailSentAndOtherMailDoesNot() {
        SendingWorld.Mailbox nestor = connect(NESTOR, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        String deal = run + " deal";
        String noise = run + " noise";

        MailMessage outlook = world.sendFromOutlook(nestor, ReconcilingWorld.prospectOf(nestor), deal);
        world.sendFromOutlook(nestor, "friend@elsewhere.example", noise);
        world.tick();
        world.tick();

        List<CrmEvent> events = world.mailEvents(nestor, deal);
        assertEquals(1, events.size());
        CrmEvent event = events.get(0);
        assertEquals("email.sent", event.type());
        assertEquals(1, stack.crm.timesReceived(event.id()));
        assertEquals("SENT_ITEMS", event.data().path("source").asText());
        assertEquals(outlook.internetMessageId(), event.data().path("internetMessageId").asText());
        assertEquals(outlook.immutableId(), event.data().path("graphMessageId").asText());
        assertEquals(ReconcilingWorld.prospectOf(nestor), event.data().path("prospects").get(0).asText());
        assertTrue(event.data().path("textBody").asText().contains("Sent from Outlook"));
        assertFalse(event.data().has("crmSendId"), "mail from Outlook is new to the CRM");
        assertTrue(world.mailEvents(nestor, noise).isEmpty(), "mail without a prospect stays in the mailbox");
        Reconciliation status = world.reconciliation(nestor);
        assertNull(status.lastError());
        assertNull(status.leaseUntil(), "the job freed the mailbox");
    }

    @Test
    void theCrmsOwnMailSentThroughTheMailboxIsReportedAsItsOwnNotAsANewMail() {
        SendingWorld.Mailbox adele = connect(ADELE, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        String subject = run + " own";

        OutboxRecord sent = world.sendFromTheCrm(adele, "own-1", crmMail("own-1", ReconcilingWorld.prospectOf(adele), subject));
        world.tick();

        assertEquals(Transport.MAILBOX, sent.attempt().transport());
        assertEquals(WriteBack.NONE, sent.reporting().writeBack(), "Exchange keeps the copy of mail it sent itself");
        assertEquals(1, world.sentItems(adele, subject).size());
        List<CrmEvent> events = world.mailEvents(adele, subject);
        assertEquals(1, events.size());
        assertEquals("email.sent_by_crm", events.get(0).type());
        assertEquals(sent.sendId(), events.get(0).data().path("crmSendId").asText());
        assertEquals(sent.message().internetMessageId(), events.get(0).data().path("internetMessageId").asText());
    }

    // ---- CRM -> mailbox ----

    @Test
    void mailSentByTheRelayIsInSentItemsAsSentMailOnceAfterTwoRunsAndTheCrmKnowsItAsItsOwn() {
        SendingWorld.Mailbox joni = connect(JONI, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        String subject = run + " offer";
        OutboxRecord sent = sendByTheRelay(joni, "offer-1", subject);
        assertEquals(WriteBack.PENDING, sent.reporting().writeBack());
        assertTrue(payloads.get(sent.message().payload()).isPresent(), "the content waits for the write-back");

        world.tick();
        world.tick();

        List<MailMessage> copies = world.sentItems(joni, subject);
        assertEquals(1, copies.size(), "written once, after two runs");
        MailMessage copy = copies.get(0);
        assertFalse(copy.isDraft(), "a sent message, not a draft");
        assertEquals(sent.message().internetMessageId(), copy.internetMessageId());
        assertEquals(List.of(ReconcilingWorld.prospectOf(joni)), copy.toRecipients().stream().map(Recipient::address).toList());
        assertEquals(List.of("assistant@prospects.example"), copy.ccRecipients().stream().map(Recipient::address).toList());
        assertEquals(joni.address(), copy.from().address());
        assertEquals(sent.delivery().sentAt().truncatedTo(ChronoUnit.SECONDS), copy.sentDateTime().truncatedTo(ChronoUnit.SECONDS));
        assertEquals("<p>Our <b>offer</b></p>", copy.bodyContent());
        assertEquals("offer.pdf", copy.attachments().get(0).name());
        assertArrayEquals(("%PDF offer for " + subject).getBytes(StandardCharsets.UTF_8), copy.attachments().get(0).content());
        assertEquals(sent.sendId(), mark(copy));
        assertEquals(WriteBack.DONE, world.record(sent).reporting().writeBack());
        assertTrue(payloads.get(sent.message().payload()).isEmpty(), "the content is deleted once the copy is in");

        List<CrmEvent> events = world.mailEvents(joni, subject);
        assertEquals(1, events.size(), "the copy reaches the CRM once, as the CRM's own mail");
        assertEquals("email.sent_by_crm", events.get(0).type());
        assertEquals(sent.sendId(), events.get(0).data().path("crmSendId").asText());
        assertEquals(copy.immutableId(), events.get(0).data().path("graphMessageId").asText());
        Reconciliation status = world.reconciliation(joni);
        assertEquals(1, status.copiesWrittenTotal());
        assertEquals(0, status.copiesWritten(), "the second run had nothing left to write");
    }

    @Test
    void aLargeMailIsWrittenBackWholeAndACopyLeftUnfinishedIsNeitherReportedNorKept() {
        SendingWorld.Mailbox joni = connect(JONI, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        String subject = run + " brochure";
        byte[] brochure = new byte[3 * 1024 * 1024 + 12_345];
        new Random(7).nextBytes(brochure);
        stack.sandbox.exchange().quota().exhaust(joni.user().id());
        OutboxRecord sent = world.sendFromTheCrm(joni, "big-1", "{\"idempotencyKey\":\"big-1\",\"to\":[\""
                + ReconcilingWorld.prospectOf(joni) + "\"],\"subject\":\"" + subject + "\",\"text\":\"Our brochure\","
                + "\"attachments\":[{\"name\":\"brochure.pdf\",\"contentType\":\"application/pdf\",\"contentBase64\":\""
                + Base64.getEncoder().encodeToString(brochure) + "\"}]}");
        assertEquals(Transport.SMTP, sent.attempt().transport());
        // Too large for one create: the copy is created, then its attachment upload fails.
        stack.sandbox.throttling().inject(joni.user().id(), 1, new GraphFault.ServerError(503), 1);

        world.reconcile(joni);
        List<MailMessage> unfinished = world.sentItems(joni, subject);
        assertEquals(1, unfinished.size());
        assertEquals(sent.sendId() + GraphSender.UNFINISHED_COPY, mark(unfinished.get(0)));
        assertTrue(unfinished.get(0).attachments().isEmpty());
        // A change notification on Sent Items runs the delta meanwhile: it passes over the unfinished copy.
        world.world.app.getInstance(MailChangesFunction.class).run(Json.write(new NotificationIntake.Batch(
                world.world.clock.instant().toString(),
                List.of(new NotificationIntake.Change(joni.accountId(), joni.userId(), "sentitems", null, "created", null)))));
        world.world.drain();
        assertTrue(world.mailEvents(joni, subject).isEmpty(), "an unfinished copy is not the mail yet");

        world.tick();

        List<MailMessage> copies = world.sentItems(joni, subject);
        assertEquals(1, copies.size());
        assertEquals(sent.sendId(), mark(copies.get(0)));
        assertFalse(copies.get(0).isDraft());
        assertArrayEquals(brochure, copies.get(0).attachments().get(0).content());
        assertEquals(1, stack.sandbox.exchange().mailbox(joni.user().id()).list(WellKnownFolder.DELETED_ITEMS).stream()
                .filter(m -> (sent.sendId() + GraphSender.UNFINISHED_COPY).equals(mark(m))).count(), "the unfinished copy was discarded");
        assertEquals(WriteBack.DONE, world.record(sent).reporting().writeBack());
        List<CrmEvent> events = world.mailEvents(joni, subject);
        assertEquals(1, events.size());
        assertEquals("email.sent_by_crm", events.get(0).type());
        assertEquals(sent.sendId(), events.get(0).data().path("crmSendId").asText());
        assertEquals(brochure.length, events.get(0).data().path("attachments").get(0).path("size").asInt());
    }

    @Test
    void aRestrictedMailboxsSentItemsAreNeverWrittenAndItsRunsOnlyReadThem() {
        SendingWorld.Mailbox alex = connect(ALEX, Profile.RESTRICTED, SyncMode.TWO_WAY);
        world.tick();
        int itemsBefore = stack.sandbox.exchange().mailbox(alex.user().id()).all().size();
        long requestsBefore = world.graphRequests(alex);
        String subject = run + " restricted";

        OutboxRecord sent = world.sendFromTheCrm(alex, "r-1", crmMail("r-1", ReconcilingWorld.prospectOf(alex), subject));
        world.tick();
        world.tick();

        assertEquals(Transport.SMTP, sent.attempt().transport());
        assertEquals(WriteBack.NONE, world.record(sent).reporting().writeBack());
        assertTrue(world.sentItems(alex, subject).isEmpty());
        assertEquals(itemsBefore, stack.sandbox.exchange().mailbox(alex.user().id()).all().size(), "the mailbox is untouched");
        assertEquals(2, world.graphRequests(alex) - requestsBefore, "two runs, one delta call each, nothing else");
        assertEquals(0, world.reconciliation(alex).copiesWrittenTotal());
    }

    @Test
    void aOneWayFullMailboxGetsItsCopiesWrittenButNothingFlowsToTheCrm() {
        SendingWorld.Mailbox diego = connect(DIEGO, Profile.FULL, SyncMode.ONE_WAY);
        String crmSubject = run + " one-way offer";
        String outlookSubject = run + " one-way outlook";
        world.sendFromOutlook(diego, ReconcilingWorld.prospectOf(diego), outlookSubject);
        OutboxRecord sent = sendByTheRelay(diego, "ow-1", crmSubject);
        long before = world.graphRequests(diego);

        world.tick();
        long afterFirst = world.graphRequests(diego);
        world.tick();

        assertEquals(1, world.sentItems(diego, crmSubject).size());
        assertFalse(world.sentItems(diego, crmSubject).get(0).isDraft());
        assertEquals(WriteBack.DONE, world.record(sent).reporting().writeBack());
        assertEquals(1, afterFirst - before, "one create, no delta: 1-way mailboxes send nothing to the CRM on their own");
        assertEquals(afterFirst, world.graphRequests(diego), "with nothing pending the write-back asks nothing of Graph");
        assertTrue(world.mailEvents(diego, crmSubject).isEmpty());
        assertTrue(world.mailEvents(diego, outlookSubject).isEmpty());
    }

    // ---- cost ----

    @Test
    void aRunOverAMailboxWithNoChangeMakesOneGraphRequest() {
        SendingWorld.Mailbox full = connect(NESTOR, Profile.FULL, SyncMode.TWO_WAY);
        SendingWorld.Mailbox restricted = connect(ALEX, Profile.RESTRICTED, SyncMode.TWO_WAY);
        world.tick();
        long fullBefore = world.graphRequests(full);
        long restrictedBefore = world.graphRequests(restricted);

        world.reconcile(full);
        world.reconcile(restricted);

        assertEquals(1, world.graphRequests(full) - fullBefore, "the delta call on the stored deltaLink; no write-back pending");
        assertEquals(1, world.graphRequests(restricted) - restrictedBefore);
    }

    // ---- faults ----

    @Test
    void aRunThatFailsHalfWayFinishesOnTheNextWithNothingLostOrDoubled() {
        SendingWorld.Mailbox lynne = connect(LYNNE, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        for (int i = 1; i <= 2; i++) {
            world.sendFromOutlook(lynne, ReconcilingWorld.prospectOf(lynne), run + " outlook " + i);
        }
        List<OutboxRecord> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(sendByTheRelay(lynne, "half-" + i, run + " half " + i));
        }
        // The first copy is created, then Graph fails: the run stops half way through the write-back.
        stack.sandbox.throttling().inject(lynne.user().id(), 1, new GraphFault.ServerError(500), 1);

        world.reconcile(lynne);

        long written = sent.stream().filter(s -> world.sentItems(lynne, subjectOf(s)).size() == 1).count();
        assertEquals(1, written, "one copy made it before the failure");
        assertTrue(world.reconciliation(lynne).lastError().contains("500"), world.reconciliation(lynne).lastError());
        assertNull(world.reconciliation(lynne).leaseUntil(), "the failed run freed the mailbox");

        world.tick();

        for (OutboxRecord send : sent) {
            assertEquals(1, world.sentItems(lynne, subjectOf(send)).size(), subjectOf(send));
            assertEquals(WriteBack.DONE, world.record(send).reporting().writeBack());
            List<CrmEvent> own = world.mailEvents(lynne, subjectOf(send));
            assertEquals(1, own.size());
            assertEquals("email.sent_by_crm", own.get(0).type());
        }
        for (int i = 1; i <= 2; i++) {
            List<CrmEvent> outlook = world.mailEvents(lynne, run + " outlook " + i);
            assertEquals(1, outlook.size());
            assertEquals(1, stack.crm.timesReceived(outlook.get(0).id()));
        }
        assertNull(world.reconciliation(lynne).lastError());
    }

    private String subjectOf(OutboxRecord send) {
        return run + " half " + send.message().idempotencyKey().substring("half-".length());
    }

    @Test
    void aJobThatDiedAfterWritingTheCopyIsFinishedWithoutWritingItAgain() {
        SendingWorld.Mailbox lynne = connect(LYNNE, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        String subject = run + " died";
        OutboxRecord sent = sendByTheRelay(lynne, "died-1", subject);
        // The dead job: it held the mailbox, marked the write-back begun, and Exchange stored the copy.
        Reconciliations reconciliations = new Reconciliations(stack.storage);
        assertTrue(reconciliations.lease(lynne.accountId(), lynne.userId(), world.world.clock.instant()).isPresent());
        assertTrue(world.outbox.startWriteBack(world.outbox.find(sent.accountId(), sent.sendId()).orElseThrow(), world.world.clock.instant()));
        stack.sandbox.exchange().mailbox(lynne.user().id()).createItem(WellKnownFolder.SENT_ITEMS, new NewMessage(subject, "html", "<p>Our offer</p>",
                Recipient.of(lynne.address()), List.of(Recipient.of(ReconcilingWorld.prospectOf(lynne))), List.of(), List.of(), List.of(),
                sent.message().internetMessageId(), List.of(), List.of(new ExtendedProperty(GraphSender.SEND_ID_PROPERTY, sent.sendId()),
                        new ExtendedProperty(ExtendedProperty.PR_MESSAGE_FLAGS, "1")), List.of(), null, null, null, null));

        world.reconcile(lynne);
        assertEquals(WriteBack.WRITING, world.record(sent).reporting().writeBack(), "the dead job's lease still holds the mailbox");

        world.world.clock.advance(Reconciliations.LEASE.plusMinutes(1));
        long before = world.graphRequests(lynne);
        world.reconcile(lynne);

        assertEquals(1, world.sentItems(lynne, subject).size(), "the copy the dead job wrote, and no other");
        assertEquals(WriteBack.DONE, world.record(sent).reporting().writeBack());
        assertTrue(payloads.get(sent.message().payload()).isEmpty());
        assertEquals(3, world.graphRequests(lynne) - before, "a search that finds the copy, the delta, and the batch that reads it for the CRM");
        assertEquals(0, world.reconciliation(lynne).copiesWrittenTotal(), "the job found the copy; it wrote none");
    }

    @Test
    void theSameJobRunTwiceAtOnceWritesEachCopyOnce() throws Exception {
        SendingWorld.Mailbox joni = connect(JONI, Profile.FULL, SyncMode.TWO_WAY);
        world.tick();
        List<String> subjects = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            subjects.add(run + " twice " + i);
            sendByTheRelay(joni, "twice-" + i, subjects.get(i - 1));
        }
        // Slow Graph, so the two invocations overlap.
        stack.sandbox.throttling().latency(joni.user().id(), Duration.ofMillis(150));
        SentReconciliationFunction function = world.world.app.getInstance(SentReconciliationFunction.class);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService host = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(host.submit(() -> {
                    start.await();
                    function.run(ReconcilingWorld.job(joni));
                    return null;
                }));
            }
            for (Future<?> invocation : runs) {
                invocation.get();
            }
        } finally {
            host.shutdownNow();
        }
        world.world.drain();
        world.tick();

        for (String subject : subjects) {
            assertEquals(1, world.sentItems(joni, subject).size(), subject);
            assertEquals(1, world.mailEvents(joni, subject).size(), subject);
        }
        assertEquals(4, world.reconciliation(joni).copiesWrittenTotal());
    }

    @Test
    void anExpiredDeltaTokenResyncsFromABoundedWindowWithoutDuplicates() {
        SendingWorld.Mailbox nestor = connect(NESTOR, Profile.RESTRICTED, SyncMode.TWO_WAY);
        world.tick();
        world.sendFromOutlook(nestor, ReconcilingWorld.prospectOf(nestor), run + " before");
        world.tick();
        CrmEvent before = world.mailEvents(nestor, run + " before").get(0);

        stack.sandbox.exchange().mailbox(nestor.user().id()).expireDeltaTokens();
        world.sendFromOutlook(nestor, ReconcilingWorld.prospectOf(nestor), run + " after");
        world.tick();

        assertEquals(1, world.mailEvents(nestor, run + " after").size());
        assertEquals(1, world.mailEvents(nestor, run + " before").size());
        assertEquals(1, stack.crm.timesReceived(before.id()), "the resync saw it again and did not deliver it twice");
        assertNull(world.reconciliation(nestor).lastError());
    }

    @Test
    void throttlingReschedulesTheJobAfterRetryAfterThroughTheQueueAndNeverFailsIt() throws Exception {
        SendingWorld.Mailbox alex = connect(ALEX, Profile.RESTRICTED, SyncMode.TWO_WAY);
        world.tick();
        world.sendFromOutlook(alex, ReconcilingWorld.prospectOf(alex), run + " throttled");
        stack.sandbox.throttling().inject(alex.user().id(), new GraphFault.Throttled(Duration.ofSeconds(2)), 1);

        world.reconcile(alex);

        assertTrue(world.mailEvents(alex, run + " throttled").isEmpty());
        assertTrue(world.reconciliation(alex).lastError().contains("429"), world.reconciliation(alex).lastError());
        assertTrue(world.takeQueued().isEmpty(), "the job waits out Retry-After, invisible on the queue");
        List<String> again = Polling.await("the job back on the queue after Retry-After", Duration.ofSeconds(30))
                .until(world::takeQueued, queued -> !queued.isEmpty());
        assertEquals(List.of(ReconcilingWorld.job(alex)), again);

        world.world.app.getInstance(SentReconciliationFunction.class).run(again.get(0));
        world.world.drain();

        assertEquals(1, world.mailEvents(alex, run + " throttled").size());
        assertNull(world.reconciliation(alex).lastError());
    }

    // ---- fan-out ----

    @Test
    void theTimerQueuesOneJobPerActiveConnectionWithSentItemsWork() {
        SendingWorld.Mailbox fullTwoWay = connect(ADELE, Profile.FULL, SyncMode.TWO_WAY);
        SendingWorld.Mailbox fullOneWay = connect(NESTOR, Profile.FULL, SyncMode.ONE_WAY);
        SendingWorld.Mailbox restrictedTwoWay = connect(ALEX, Profile.RESTRICTED, SyncMode.TWO_WAY);
        connect(JONI, Profile.RESTRICTED, SyncMode.ONE_WAY);
        SendingWorld.Mailbox disconnected = connect(DIEGO, Profile.FULL, SyncMode.TWO_WAY);
        new MailboxConnections(stack.storage).update(disconnected.accountId(), disconnected.userId(),
                c -> c.withState(ConnectionState.DISCONNECTED, null, world.world.clock.instant()));

        world.world.app.getInstance(SentReconciliationTimerFunction.class).run("timer");

        Set<String> queued = world.takeQueued().stream().collect(Collectors.toSet());
        assertEquals(Set.of(ReconcilingWorld.job(fullTwoWay), ReconcilingWorld.job(fullOneWay), ReconcilingWorld.job(restrictedTwoWay)),
                queued, "RESTRICTED 1-way has nothing to reconcile; a disconnected mailbox is left alone");
    }
}
