package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.LifecycleEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.NotificationFaults;
import io.mailbridge.sandbox.graph.GraphFault;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 500 mails into 5 mailboxes while Graph drops and duplicates notifications, throttles, fails
 * batches half way and removes a subscription: afterwards the CRM holds exactly the prospects' mail,
 * each once per CRM user.
 */
@ExtendWith(StackExtension.class)
class InboundChaosIT {
    private static final int MAILS_PER_MAILBOX = 100;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Test
    void everyProspectMailArrivesExactlyOnceWhateverGraphDoes(Stack stack) {
        String account = UniqueNames.next("chaos");
        Connecting connecting = new Connecting(stack);
        MailboxApi api = new MailboxApi(stack);
        List<SandboxUser> mailboxes = List.of("adele.vance@contoso.example", "alex.wilber@contoso.example",
                "nestor.wilke@contoso.example", "joni.sherman@contoso.example", "diego.siciliani@fabrikam.example")
                .stream().map(upn -> stack.sandbox().user(upn)).toList();
        Map<String, String> userOf = new HashMap<>();
        for (SandboxUser mailbox : mailboxes) {
            String userId = mailbox.userPrincipalName().substring(0, mailbox.userPrincipalName().indexOf('@'));
            userOf.put(mailbox.id(), userId);
            String link = connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US");
            assertEquals(200, connecting.connect(link, "TWO_WAY", mailbox, "accept").statusCode());
        }
        List<String> prospects = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            prospects.add("prospect" + i + "." + account + "@buyers.example");
        }
        assertEquals(200, api.call("POST", "/api/accounts/" + account + "/prospects",
                "{\"upsert\":[\"" + String.join("\",\"", prospects) + "\"]}").statusCode());

        Random random = new Random(42);
        Set<String> expected = new TreeSet<>();
        stack.sandbox().exchange().notifications().faults(NotificationFaults.NONE.withDropRate(0.2).withDuplicateRate(0.2));
        try {
            for (int n = 0; n < MAILS_PER_MAILBOX; n++) {
                for (SandboxUser mailbox : mailboxes) {
                    boolean fromProspect = random.nextBoolean();
                    String from = fromProspect ? prospects.get(random.nextInt(prospects.size())) : "stranger" + n + "@elsewhere.example";
                    String subject = "chaos " + account + " " + mailbox.id() + " #" + n;
                    stack.sandbox().exchange().deliver(NewMessage.simple(from, List.of(mailbox.userPrincipalName()), subject, "Body of " + subject));
                    if (fromProspect) {
                        expected.add(userOf.get(mailbox.id()) + "|" + subject);
                    }
                }
                if (n == 20) {
                    stack.sandbox().throttling().inject(mailboxes.get(0).id(), new GraphFault.Throttled(Duration.ofSeconds(2)), 6);
                    stack.sandbox().throttling().inject(mailboxes.get(1).id(), new GraphFault.ServerError(503), 3);
                }
                if (n == 40) {
                    MailSubscription inbox = new Subscriptions(stack.storage()).of(account, userOf.get(mailboxes.get(2).id())).stream()
                            .filter(s -> s.folder().equals("inbox")).findFirst().orElseThrow();
                    stack.sandbox().exchange().subscriptions().lifecycle(inbox.id(), LifecycleEvent.SUBSCRIPTION_REMOVED);
                }
                if (n == 60) {
                    stack.sandbox().throttling().inject(mailboxes.get(3).id(), new GraphFault.Throttled(Duration.ofSeconds(1)), 10);
                }
            }
        } finally {
            stack.sandbox().exchange().notifications().faults(NotificationFaults.NONE);
        }

        stack.crm().awaitEvents(expected.size(), e -> e.accountId().equals(account) && e.type().equals("email.received"), PATIENCE);
        // One more prospect mail per mailbox, without faults: once these are in, every earlier change of the
        // mailbox has been through delta, so anything wrongly delivered would be there too.
        for (SandboxUser mailbox : mailboxes) {
            stack.sandbox().exchange().deliver(NewMessage.simple(prospects.get(0), List.of(mailbox.userPrincipalName()),
                    "marker " + account + " " + mailbox.id(), "last"));
        }
        stack.crm().awaitEvents(mailboxes.size(), e -> e.accountId().equals(account) && e.data().path("subject").asText().startsWith("marker"),
                PATIENCE);
        List<CrmEvent> delivered = stack.crm().events().stream().filter(e -> e.accountId().equals(account)
                && e.type().equals("email.received") && !e.data().path("subject").asText().startsWith("marker")).toList();
        Set<String> got = delivered.stream().map(e -> e.userId() + "|" + e.data().path("subject").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, got, "exactly the prospects' mail");
        assertEquals(expected.size(), delivered.size(), "each once");
        assertTrue(delivered.stream().allMatch(e -> stack.crm().timesReceived(e.id()) == 1), "no event id arrived twice");
        assertTrue(stack.sandbox().exchange().notifications().dropped() > 0 && stack.sandbox().exchange().notifications().duplicated() > 0,
                "the faults really happened");
    }
}
