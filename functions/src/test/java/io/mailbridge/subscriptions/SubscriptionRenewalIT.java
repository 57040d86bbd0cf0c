package io.mailbridge.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionJob;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.AzuriteExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The renewal timer and its jobs on the real parts (Azurite, the Microsoft 365 sandbox through MSAL4J and the Graph SDK):
 * the timer queues a job per active connection, and the host's part for the subscription-renewal queue is played by
 * hand. Graph validates each new subscription's endpoints, so a small https endpoint answers its handshakes here.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class SubscriptionRenewalIT {
    private static final String ADELE = "adele.vance@contoso.example";
    private static final String ALEX = "alex.wilber@contoso.example";
    private static final String JONI = "joni.sherman@contoso.example";

    private final SendingStack stack;
    private final HttpsServer endpoint;
    private final SendingWorld world;
    private final MailboxConnections connections;
    private final Subscriptions stored;
    private final Set<String> accounts = new HashSet<>();

    SubscriptionRenewalIT(SendingStack stack) throws IOException {
        this.stack = stack;
        this.endpoint = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
        endpoint.setHttpsConfigurator(new HttpsConfigurator(stack.sandbox.tls().serverContext()));
        endpoint.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("validationToken=")) {
                byte[] token = URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, token.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(token);
                }
            } else {
                exchange.sendResponseHeaders(202, -1);
            }
            exchange.close();
        });
        endpoint.start();
        this.world = new SendingWorld(stack, Map.of("MAILBRIDGE_PUBLIC_BASE_URL", "https://localhost:" + endpoint.getAddress().getPort()));
        this.connections = new MailboxConnections(stack.storage);
        this.stored = new Subscriptions(stack.storage);
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    private SendingWorld.Mailbox connect(String sandboxUser) {
        SendingWorld.Mailbox mailbox = world.connect(sandboxUser, Profile.FULL);
        accounts.add(mailbox.accountId());
        return mailbox;
    }

    /** The timer fires; returns the jobs it queued for this test's connections (other tests' are dropped). */
    private List<ConnectionJob> timerFires() {
        world.app.getInstance(SubscriptionRenewalFunction.class).run("timer");
        QueueClient queue = stack.storage.queues().getQueueClient(StorageNames.SUBSCRIPTION_RENEWAL_QUEUE);
        List<ConnectionJob> mine = new ArrayList<>();
        boolean any = true;
        while (any) {
            any = false;
            for (QueueMessageItem item : queue.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                any = true;
                ConnectionJob job = ConnectionJob.parse(item.getBody().toString(), StorageNames.SUBSCRIPTION_RENEWAL_QUEUE);
                if (accounts.contains(job.accountId())) {
                    mine.add(job);
                }
                queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
            }
        }
        return mine;
    }

    /** What the host does with a renewal message. */
    private void jobRuns(SendingWorld.Mailbox mailbox) {
        world.app.getInstance(SubscriptionRenewalJobFunction.class).run(Json.write(new ConnectionJob(mailbox.accountId(), mailbox.userId())));
    }

    private MailSubscription storedOn(SendingWorld.Mailbox mailbox, String folder) {
        return stored.of(mailbox.accountId(), mailbox.userId()).stream().filter(s -> s.folder().equals(folder)).findFirst()
                .orElseThrow(() -> new AssertionError("no stored " + folder + " subscription"));
    }

    private boolean liveAtGraph(String subscriptionId) {
        return stack.sandbox.exchange().subscriptions().get(subscriptionId).isPresent();
    }

    @Test
    void theTimerQueuesAJobPerActiveConnectionAndTheJobSubscribesItsFolders() {
        SendingWorld.Mailbox active = connect(ADELE);
        SendingWorld.Mailbox disconnected = connect(ALEX);
        connections.update(disconnected.accountId(), disconnected.userId(),
                c -> c.withState(ConnectionState.DISCONNECTED, null, world.clock.instant()));

        List<ConnectionJob> jobs = timerFires();

        assertEquals(List.of(new ConnectionJob(active.accountId(), active.userId())), jobs, "one job, for the active connection only");
        jobRuns(active);
        List<MailSubscription> made = stored.of(active.accountId(), active.userId());
        assertEquals(List.of("inbox", "sentitems"), made.stream().map(MailSubscription::folder).sorted().toList());
        assertTrue(made.stream().allMatch(s -> liveAtGraph(s.id())));
        assertEquals(made.stream().map(MailSubscription::id).sorted().toList(),
                stored.onMailbox(active.address().toUpperCase(Locale.ROOT)).stream().filter(s -> s.accountId().equals(active.accountId()))
                        .map(MailSubscription::id).sorted().toList(), "found through the mailbox too, whatever the address's case");

        // A job queued before its connection was disconnected finds nothing to do.
        jobRuns(disconnected);
        assertTrue(stored.of(disconnected.accountId(), disconnected.userId()).isEmpty());
    }

    @Test
    void aJobRenewsWhatExpiresWithinTwoDaysAndLeavesTheRest() {
        SendingWorld.Mailbox mailbox = connect(JONI);
        jobRuns(mailbox);
        MailSubscription inbox = storedOn(mailbox, "inbox");
        MailSubscription sentItems = storedOn(mailbox, "sentitems");
        // The inbox's record expires within two days (as though renewals had failed since); sent items has days left.
        stored.save(inbox.withExpiry(world.clock.instant().plus(Duration.ofDays(1))));
        world.clock.advance(Duration.ofHours(1));

        jobRuns(mailbox);

        MailSubscription renewed = storedOn(mailbox, "inbox");
        assertEquals(inbox.id(), renewed.id(), "renewed, not made again");
        assertTrue(renewed.expiresAt().isAfter(inbox.expiresAt()), "a full lifetime from now: " + renewed.expiresAt());
        Subscription atGraph = stack.sandbox.exchange().subscriptions().get(inbox.id()).orElseThrow();
        assertEquals(atGraph.expirationDateTime().truncatedTo(ChronoUnit.SECONDS), renewed.expiresAt().truncatedTo(ChronoUnit.SECONDS));
        assertEquals(sentItems, storedOn(mailbox, "sentitems"), "days left: left alone");
    }

    @Test
    void aJobForgetsASubscriptionGraphLostAndMakesItAgain() {
        SendingWorld.Mailbox mailbox = connect(ADELE);
        jobRuns(mailbox);
        MailSubscription lost = storedOn(mailbox, "inbox");
        String sentItems = storedOn(mailbox, "sentitems").id();
        assertTrue(stack.sandbox.exchange().subscriptions().delete(lost.id()));

        jobRuns(mailbox);

        MailSubscription inbox = storedOn(mailbox, "inbox");
        assertNotEquals(lost.id(), inbox.id());
        assertTrue(liveAtGraph(inbox.id()));
        assertFalse(stored.find(lost.id()).stream().anyMatch(s -> s.accountId().equals(mailbox.accountId())), "the lost record is forgotten");
        assertEquals(sentItems, storedOn(mailbox, "sentitems").id(), "a subscription Graph still has is kept");
        assertEquals(2, stored.of(mailbox.accountId(), mailbox.userId()).size());
    }
}
