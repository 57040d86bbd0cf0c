package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.subscriptions.SubscriptionRenewalFunction;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.LifecycleEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.WebhookCall;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriptions that cannot be orphaned: Graph's subscriptionRemoved is healed at once, and the renewal timer
 * reconciles what is stored with Graph's own list, deleting subscriptions nobody owns and recreating lost ones.
 * Healed means notified again: each check ends with Graph notifying the new subscription and the mail reaching the CRM.
 */
@ExtendWith(StackExtension.class)
class SubscriptionHealingIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Stack stack;
    private Subscriptions stored;
    private String account;
    private String prospect;
    private SandboxUser nestor;
    /** account, user: every connection a test made, disconnected after it so later tests' mail does not notify them. */
    private final List<String[]> connected = new ArrayList<>();

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.stored = new Subscriptions(stack.storage());
        this.account = UniqueNames.next("heal");
        this.prospect = "buyer." + account + "@prospects.example";
        HttpResponse<String> added = new MailboxApi(stack).call("POST", "/api/accounts/" + account + "/prospects",
                "{\"upsert\":[\"" + prospect + "\"]}");
        assertEquals(200, added.statusCode(), added.body());
        nestor = stack.sandbox().user("nestor.wilke@contoso.example");
        Connecting connecting = new Connecting(stack);
        String link = connecting.link(account, "nestor", nestor, List.of("Connect to mailbox"), "US");
        assertEquals(200, connecting.connect(link, "TWO_WAY", nestor, "accept").statusCode());
        connected.add(new String[] {account, "nestor"});
    }

    @AfterEach
    void disconnect() {
        for (String[] connection : connected) {
            assertEquals(200, new MailboxApi(stack).call("DELETE", MailboxApi.mailboxPath(connection[0], connection[1]), "").statusCode());
        }
    }

    private MailSubscription storedOn(String folder) {
        return storedOnIfAny(folder).orElseThrow(() -> new AssertionError("no stored " + folder + " subscription"));
    }

    private Optional<MailSubscription> storedOnIfAny(String folder) {
        return stored.of(account, "nestor").stream().filter(s -> s.folder().equals(folder)).findFirst();
    }

    private boolean liveAtGraph(String subscriptionId) {
        return stack.sandbox().exchange().subscriptions().get(subscriptionId).isPresent();
    }

    /** A prospect's mail into the inbox: Graph notifies the subscription (acknowledged by the app) and the CRM gets the mail. */
    private void mailIsNotifiedAndDelivered(String inboxSubscriptionId, String subject) {
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(nestor.userPrincipalName()), subject, "About " + subject));
        Polling.await("Graph notifying subscription " + inboxSubscriptionId, PATIENCE).until(() -> stack.sandbox().exchange().notifications().calls().stream()
                .anyMatch(call -> call.kind() == WebhookCall.Kind.NOTIFICATION && call.subscriptionId().equals(inboxSubscriptionId)
                        && call.acknowledged()));
        stack.crm().awaitEvent(e -> e.accountId().equals(account) && subject.equals(e.data().path("subject").asText()), PATIENCE);
    }

    /**
     * The renewal timer firing: the same function, built from the stack's settings, on the sandbox's clock. It queues
     * one job per connection, which the local host runs; tests await what the jobs do.
     */
    private void renewalTimerFires() {
        new App(Settings.from(stack.local().settings()), stack.sandbox().clock()).getInstance(SubscriptionRenewalFunction.class)
                .run("{\"isPastDue\":false}");
    }

    @Test
    void aRemovedSubscriptionIsMadeAgainAtOnceWithoutWaitingForTheTimer() {
        String removed = storedOn("inbox").id();

        assertTrue(stack.sandbox().exchange().subscriptions().lifecycle(removed, LifecycleEvent.SUBSCRIPTION_REMOVED));

        // Within seconds: the timer runs hourly, so only the lifecycle path can have done this.
        Polling.await("a new inbox subscription", PATIENCE).until(() -> storedOnIfAny("inbox").map(s -> !s.id().equals(removed) && liveAtGraph(s.id())).orElse(false));
        assertFalse(liveAtGraph(removed));
        mailIsNotifiedAndDelivered(storedOn("inbox").id(), "after removal " + account);
    }

    @Test
    void theTimerDeletesOrphansAtOurUrlRecreatesWhatGraphLostAndForgetsTheLostRecords() {
        // Another CRM account on the same mailbox: its subscriptions are its own, and owned, so never orphans.
        String otherAccount = UniqueNames.next("heal-other");
        Connecting connecting = new Connecting(stack);
        assertEquals(200, connecting.connect(connecting.link(otherAccount, "nestor", nestor, List.of("Connect to mailbox"), "US"),
                "TWO_WAY", nestor, "accept").statusCode());
        connected.add(new String[] {otherAccount, "nestor"});
        List<String> others = stored.of(otherAccount, "nestor").stream().map(MailSubscription::id).sorted().toList();
        assertEquals(2, others.size());
        MailSubscription lost = storedOn("inbox");
        MailSubscription orphaned = storedOn("sentitems");
        // Graph loses the inbox subscription without telling; the sent-items one loses its record (a crash between
        // Graph's answer and the write would leave it so), and is past the grace period by the time the timer runs.
        stack.sandbox().exchange().subscriptions().delete(lost.id());
        stored.delete(orphaned);
        stack.sandbox().clock().advance(Duration.ofMinutes(11));
        // One subscription per page: the timer must follow Graph's @odata.nextLink to see them all.
        stack.sandbox().exchange().subscriptions().listPageSize(1);
        try {
            renewalTimerFires();
            Polling.await("the orphan deleted and both subscriptions made again", PATIENCE).until(() -> !liveAtGraph(orphaned.id())
                    && storedOnIfAny("inbox").map(s -> !s.id().equals(lost.id()) && liveAtGraph(s.id())).orElse(false)
                    && storedOnIfAny("sentitems").map(s -> !s.id().equals(orphaned.id()) && liveAtGraph(s.id())).orElse(false));
        } finally {
            stack.sandbox().exchange().subscriptions().listPageSize(io.mailbridge.sandbox.exchange.Subscriptions.LIST_PAGE_SIZE);
        }

        assertFalse(liveAtGraph(orphaned.id()), "the orphan is deleted at Graph");
        MailSubscription inbox = storedOn("inbox");
        MailSubscription sentItems = storedOn("sentitems");
        assertNotEquals(lost.id(), inbox.id(), "the lost record is forgotten, a new subscription made");
        assertNotEquals(orphaned.id(), sentItems.id());
        assertTrue(liveAtGraph(inbox.id()) && liveAtGraph(sentItems.id()));
        assertEquals(2, stored.of(account, "nestor").size());
        assertEquals(others, stored.of(otherAccount, "nestor").stream().map(MailSubscription::id).sorted().toList());
        assertTrue(others.stream().allMatch(this::liveAtGraph), "the other account's subscriptions are untouched");
        mailIsNotifiedAndDelivered(inbox.id(), "after reconciling " + account);
    }

    @Test
    void aReconnectHealsAMailboxWhoseInboxSubscriptionGraphLost() {
        MailSubscription lost = storedOn("inbox");
        String sentItems = storedOn("sentitems").id();
        stack.sandbox().exchange().subscriptions().delete(lost.id());

        Connecting connecting = new Connecting(stack);
        assertEquals(200, connecting.connect(connecting.link(account, "nestor", nestor, List.of("Connect to mailbox"), "US"),
                "TWO_WAY", nestor, "accept").statusCode());

        MailSubscription inbox = storedOn("inbox");
        assertNotEquals(lost.id(), inbox.id(), "the stale record no longer stands in for a live subscription");
        assertTrue(liveAtGraph(inbox.id()));
        assertEquals(sentItems, storedOn("sentitems").id(), "a subscription Graph still has is kept");
        mailIsNotifiedAndDelivered(inbox.id(), "after reconnect " + account);
    }

    @Test
    void aMailboxThatFailsDoesNotStopTheTimerHealingTheOthers() {
        // Its account sorts before every other, so the timer meets it first; its sign-in is revoked.
        String deadAccount = UniqueNames.next("0dead");
        SandboxUser lynne = stack.sandbox().user("lynne.robbins@fabrikam.example");
        Connecting connecting = new Connecting(stack);
        assertEquals(200, connecting.connect(connecting.link(deadAccount, "lynne", lynne, List.of("Connect to mailbox"), "US"),
                "TWO_WAY", lynne, "accept").statusCode());
        connected.add(new String[] {deadAccount, "lynne"});
        stack.sandbox().identity().revokeRefreshTokens(lynne.id());
        stack.sandbox().clock().advance(Duration.ofHours(2));
        MailSubscription lost = storedOn("inbox");
        stack.sandbox().exchange().subscriptions().delete(lost.id());

        renewalTimerFires();

        Polling.await("the other mailbox's inbox subscription made again", PATIENCE)
                .until(() -> storedOnIfAny("inbox").map(s -> !s.id().equals(lost.id())).orElse(false));
        Polling.await("the failing mailbox marked for sign-in", PATIENCE)
                .until(() -> "NEEDS_REAUTH".equals(new MailboxApi(stack).status(deadAccount, "lynne").get("state").asText()));
        MailSubscription inbox = storedOn("inbox");
        assertNotEquals(lost.id(), inbox.id());
        mailIsNotifiedAndDelivered(inbox.id(), "after a failing neighbour " + account);
    }

    @Test
    void aSubscriptionBeingMadeRightNowIsNotTakenForAnOrphan() {
        MailSubscription young = storedOn("sentitems");
        stored.delete(young);

        renewalTimerFires();

        // The connection still gets its own sent-items subscription (after reconciling); the young one goes once it is old enough.
        Polling.await("a new sent-items subscription", PATIENCE)
                .until(() -> storedOnIfAny("sentitems").map(s -> liveAtGraph(s.id())).orElse(false));
        assertTrue(liveAtGraph(young.id()), "inside the grace period an unowned subscription is left alone");
        MailSubscription inbox = storedOn("inbox");
        assertTrue(liveAtGraph(inbox.id()));
        stack.sandbox().clock().advance(Duration.ofMinutes(11));
        renewalTimerFires();
        Polling.await("the orphan deleted once past the grace period", PATIENCE).until(() -> !liveAtGraph(young.id()));
    }
}
