package io.mailbridge.sentsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.mailbridge.crm.Prospects;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionJob;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.outbound.Outbox;
import io.mailbridge.outbound.OutboxRecord;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.SendOutcome;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.storage.StorageNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reconciliation's view of a {@link SendingWorld}: mailboxes connected 2-way or 1-way with a prospect of their own,
 * mail sent from Outlook (the sandbox's sendMail as the user) or by the CRM, and the host's part for the
 * sent-reconciliation queue played by hand: the timer's jobs for this world's mailboxes are run, other tests' dropped.
 */
final class ReconcilingWorld {
    final SendingStack stack;
    final SendingWorld world;
    final Outbox outbox;
    private final MailboxConnections connections;
    private final Prospects prospects;
    private final Set<String> accounts = new HashSet<>();

    ReconcilingWorld(SendingStack stack) {
        this(stack, Map.of());
    }

    ReconcilingWorld(SendingStack stack, Map<String, String> overrides) {
        this.stack = stack;
        this.world = new SendingWorld(stack, overrides);
        this.outbox = new Outbox(stack.storage);
        this.connections = new MailboxConnections(stack.storage);
        this.prospects = new Prospects(stack.storage);
    }

    /** Connects the sandbox user's mailbox as a new account's user, with {@link #prospectOf} as the account's prospect. */
    SendingWorld.Mailbox connect(String sandboxUser, Profile profile, SyncMode mode) {
        SendingWorld.Mailbox mailbox = world.connect(sandboxUser, profile);
        if (mode != SyncMode.TWO_WAY) {
            connections.update(mailbox.accountId(), mailbox.userId(), c -> c.withMode(mode, world.clock.instant()));
        }
        prospects.upsert(mailbox.accountId(), List.of(prospectOf(mailbox)));
        accounts.add(mailbox.accountId());
        return mailbox;
    }

    static String prospectOf(SendingWorld.Mailbox mailbox) {
        return "buyer." + mailbox.accountId() + "@prospects.example";
    }

    /** The user sends from Outlook: once Exchange has sent it, it keeps the copy in Sent Items. */
    MailMessage sendFromOutlook(SendingWorld.Mailbox mailbox, String to, String subject) {
        SendOutcome outcome = stack.sandbox.exchange().send(mailbox.user().id(),
                NewMessage.simple(mailbox.address(), List.of(to), subject, "Sent from Outlook: " + subject), true);
        world.exchangeSendsWhatItAccepted();
        return stack.sandbox.exchange().mailbox(mailbox.user().id()).get(assertInstanceOf(SendOutcome.Sent.class, outcome).submitted().immutableId()).orElseThrow();
    }

    /** The CRM sends through the product, which sends until the outbox has the mail SENT (or FAILED). */
    OutboxRecord sendFromTheCrm(SendingWorld.Mailbox mailbox, String key, String body) {
        assertEquals(202, world.requestSend(mailbox, body).getStatusCode());
        world.settle();
        return world.records().stream().filter(r -> r.message().idempotencyKey().equals(key) && r.userId().equals(mailbox.userId())
                && r.accountId().equals(mailbox.accountId())).findFirst().orElseThrow();
    }

    /** The send's outbox row as it is now. */
    OutboxRecord record(OutboxRecord sent) {
        return outbox.find(sent.accountId(), sent.sendId()).orElseThrow().value();
    }

    /** What the host does with a job for the mailbox: runs the queue function, then delivers the CRM events it caused. */
    void reconcile(SendingWorld.Mailbox mailbox) {
        world.app.getInstance(SentReconciliationFunction.class).run(job(mailbox));
        world.drain();
    }

    static String job(SendingWorld.Mailbox mailbox) {
        return Json.write(new ConnectionJob(mailbox.accountId(), mailbox.userId()));
    }

    /** The timer fires; every job it queued for this world's mailboxes runs. Returns the jobs that ran. */
    List<ConnectionJob> tick() {
        world.app.getInstance(SentReconciliationTimerFunction.class).run("timer");
        List<ConnectionJob> ran = new ArrayList<>();
        for (String message : takeQueued()) {
            ConnectionJob job = parse(message);
            if (accounts.contains(job.accountId())) {
                world.app.getInstance(SentReconciliationFunction.class).run(message);
                ran.add(job);
            }
        }
        world.drain();
        return ran;
    }

    /** The visible sent-reconciliation messages of this world, taken off the queue (other tests' are dropped). */
    List<String> takeQueued() {
        QueueClient queue = stack.storage.queues().getQueueClient(StorageNames.SENT_RECONCILIATION_QUEUE);
        List<String> mine = new ArrayList<>();
        boolean any = true;
        while (any) {
            any = false;
            for (QueueMessageItem item : queue.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                any = true;
                String message = item.getBody().toString();
                if (accounts.contains(parse(message).accountId())) {
                    mine.add(message);
                }
                queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
            }
        }
        return mine;
    }

    private static ConnectionJob parse(String message) {
        try {
            return Json.MAPPER.readValue(message, ConnectionJob.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages in the user's Sent Items whose subject is {@code subject}. */
    List<MailMessage> sentItems(SendingWorld.Mailbox mailbox, String subject) {
        return stack.sandbox.exchange().mailbox(mailbox.user().id()).list(WellKnownFolder.SENT_ITEMS).stream()
                .filter(m -> subject.equals(m.subject())).toList();
    }

    /** The email.* events the CRM holds for the mailbox's user, for mail with this subject. */
    List<CrmEvent> mailEvents(SendingWorld.Mailbox mailbox, String subject) {
        return stack.crm.eventsFor(mailbox.accountId(), mailbox.userId()).stream()
                .filter(e -> e.type().startsWith("email.") && subject.equals(e.data().path("subject").asText())).toList();
    }

    /** The Graph requests the mailbox has had so far. */
    long graphRequests(SendingWorld.Mailbox mailbox) {
        return stack.sandbox.graphRequests(mailbox.user().id());
    }

    Reconciliation reconciliation(SendingWorld.Mailbox mailbox) {
        return new Reconciliations(stack.storage).of(mailbox.accountId(), mailbox.userId()).orElseThrow();
    }
}
