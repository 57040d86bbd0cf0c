package io.mailbridge.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import io.mailbridge.crm.Prospects;
import io.mailbridge.inbound.Deliveries;
import io.mailbridge.inbound.MailDelivery;
import io.mailbridge.inbound.MailItem;
import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.ContractValidator;
import io.mailbridge.testkit.UniqueNames;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every event the app builds, made by the code that builds it (the sender's send.status, MailDelivery's
 * email.*, ConnectionLifecycle's mailbox.*) and received by the CRM stand-in as the app sent it, validates
 * against its published schema; and every published event type is one the app sends.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class CrmEventContractsIT {
    private static final String PROSPECT = "lynne.robbins@prospects.example";

    @Test
    void everyEventTheCrmReceivesMatchesTheSchemaOfItsType(SendingStack stack) {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        String account = adele.accountId();

        // send.status, as the sender reports a CRM send through the mailbox
        assertEquals(202, world.requestSend(adele, SendingWorld.mail(UniqueNames.next("key"), PROSPECT, "Our offer")).getStatusCode());
        world.settle();

        // email.*, as MailDelivery tells of mail found in the mailbox or at the BCC address
        MailboxConnections connections = new MailboxConnections(stack.storage);
        MailboxConnection connection = connections.find(account, adele.userId()).orElseThrow().value();
        Prospects prospects = new Prospects(stack.storage);
        prospects.upsert(account, List.of(PROSPECT));
        MailDelivery delivery = new MailDelivery(prospects, new Deliveries(stack.storage), world.events(), world.clock);
        for (MailItem mail : mailsOf(connection.mailboxAddress(), world.clock.instant())) {
            assertEquals(MailDelivery.Outcome.DELIVERED, delivery.deliver(connection, mail));
        }

        // mailbox.*, for each state change the CRM is told of
        ConnectionLifecycle lifecycle = new ConnectionLifecycle(connections, world.events());
        for (ConnectionTransition transition : ConnectionTransition.values()) {
            if (transition.crmEvent().isPresent()) {
                String userId = "lifecycle-" + transition.name().toLowerCase();
                ConnectionState from = Arrays.stream(ConnectionState.values()).filter(transition::allowedFrom).findFirst().orElseThrow();
                Instant now = world.clock.instant();
                connections.connect(new MailboxConnection(account, userId, userId + "@contoso.example", from, SyncMode.TWO_WAY, Profile.FULL,
                        Region.US, List.of(), null, null, now, now), Optional.empty());
                assertTrue(lifecycle.apply(account, userId, transition, "invalid_grant", now));
            }
        }
        world.drain();

        List<CrmEvent> received = stack.crm.events().stream().filter(e -> e.accountId().equals(account)).toList();
        ContractValidator validator = new ContractValidator();
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        for (CrmEvent event : received) {
            List<String> errors = validator.errors(Contracts.EVENTS + event.type() + Contracts.SCHEMA_SUFFIX, event.body());
            if (!errors.isEmpty()) {
                invalid.put(event.type() + " " + event.id(), errors);
            }
        }
        assertEquals(Map.of(), invalid);
        Set<String> published = StreamSupport.stream(Contracts.load().names().spliterator(), false)
                .filter(name -> name.startsWith(Contracts.EVENTS))
                .map(name -> name.substring(Contracts.EVENTS.length(), name.length() - Contracts.SCHEMA_SUFFIX.length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(published, received.stream().map(CrmEvent::type).collect(Collectors.toCollection(TreeSet::new)),
                "the types the app sent are exactly the published ones");
    }

    /** A mail of each kind the CRM hears of: a prospect's in the Inbox and by BCC, the user's own, and the CRM's own in Sent Items. */
    private static List<MailItem> mailsOf(String mailbox, Instant now) {
        MailItem.Address user = new MailItem.Address("Adele Vance", mailbox);
        MailItem.Address prospect = new MailItem.Address(null, PROSPECT);
        List<MailItem.Attachment> attachment = List.of(new MailItem.Attachment("AAMkAtt1", "terms.pdf", "application/pdf", 48_213, false));
        String id = UniqueNames.next("m");
        return List.of(
                new MailItem(MailItem.Source.INBOX, "AAMk-in-" + id, "<in-" + id + "@prospects.example>", "AAQk-" + id, "Re: our offer",
                        prospect, List.of(user), List.of(), List.of(), now.minusSeconds(5), now, "Thanks", "<p>Thanks</p>", attachment, null),
                new MailItem(MailItem.Source.BCC, null, "<bcc-" + id + "@prospects.example>", null, null, prospect, List.of(user),
                        List.of(new MailItem.Address("Buyer", "buyer@prospects.example")), List.of(), null, null, "Hello", null,
                        List.of(new MailItem.Attachment(null, null, "application/octet-stream", 10, true)), null),
                new MailItem(MailItem.Source.SENT_ITEMS, "AAMk-sent-" + id, "<sent-" + id + "@contoso.example>", "AAQk-" + id, "Our offer",
                        user, List.of(prospect), List.of(), List.of(new MailItem.Address(null, "boss@contoso.example")), now, now, "Offer", null,
                        List.of(), null),
                new MailItem(MailItem.Source.SENT_ITEMS, "AAMk-crm-" + id, "<crm-" + id + "@contoso.example>", "AAQk-" + id, "From the CRM",
                        user, List.of(prospect), List.of(), List.of(), now, now, null, "<p>From the CRM</p>", List.of(), "s-" + id));
    }
}
