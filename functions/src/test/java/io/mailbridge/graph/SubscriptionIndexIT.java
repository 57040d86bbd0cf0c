package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The subscriptions' index by mailbox and by connection, and the way records stored before it get their pointers. */
@ExtendWith(AzuriteExtension.class)
class SubscriptionIndexIT {
    private static final Instant EXPIRES = Instant.parse("2026-12-10T09:00:00Z");
    private static final Duration ENOUGH = Duration.ofMinutes(5);

    private StorageClients storage;
    private String table;
    private String indexTable;
    private Subscriptions subscriptions;

    @BeforeEach
    void setUp(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        table = TestStorage.newTable(storage, "subs");
        indexTable = TestStorage.newTable(storage, "subsindex");
        subscriptions = new Subscriptions(storage, table, indexTable);
    }

    private static MailSubscription subscription(String id, String account, String user, String mailbox, String folder) {
        return new MailSubscription(id, account, user, mailbox, folder, MailSubscription.hashOf("state-" + id), EXPIRES);
    }

    /** A record as the app wrote it before the index: the row alone. */
    private void storedBeforeTheIndex(MailSubscription s) {
        TableEntity row = new TableEntity(s.id(), s.accountId() + "|" + s.userId())
                .addProperty("AccountId", s.accountId()).addProperty("UserId", s.userId()).addProperty("Mailbox", s.mailbox())
                .addProperty("Folder", s.folder()).addProperty("ClientStateHash", s.clientStateHash())
                .addProperty("ExpiresAt", OffsetDateTime.ofInstant(s.expiresAt(), ZoneOffset.UTC));
        storage.tables().getTableClient(table).upsertEntity(row);
    }

    private static List<String> ids(List<MailSubscription> found) {
        return found.stream().map(MailSubscription::id).sorted().toList();
    }

    @Test
    void aMailboxsAndAConnectionsSubscriptionsAreFoundThroughTheirPointersAndGoWithTheirRecords() {
        subscriptions.backfillIndex(ENOUGH);
        MailSubscription adaInbox = subscription("s1", "acct", "ada", "Ada@Contoso.example", "inbox");
        MailSubscription adaSent = subscription("s2", "acct", "ada", "Ada@Contoso.example", "sentitems");
        MailSubscription otherAccount = subscription("s3", "acct2", "ada", "ada@contoso.example", "inbox");
        MailSubscription bob = subscription("s4", "acct", "bob", "bob@contoso.example", "inbox");
        List.of(adaInbox, adaSent, otherAccount, bob).forEach(subscriptions::save);

        assertEquals(List.of("s1", "s2", "s3"), ids(subscriptions.onMailbox("ada@contoso.example")), "every connection's, whatever the case");
        assertEquals(List.of("s1", "s2"), ids(subscriptions.of("acct", "ada")));
        assertEquals(List.of(adaInbox), subscriptions.find("s1"), "the webhook's look-up by id is as before");

        subscriptions.delete(adaInbox);
        assertEquals(List.of("s2", "s3"), ids(subscriptions.onMailbox("ada@contoso.example")));
        assertEquals(List.of("s2"), ids(subscriptions.of("acct", "ada")));
        assertEquals(List.of(), pointersTo("s1"), "its pointers go with it");
    }

    @Test
    void recordsStoredBeforeTheIndexAreReadByScanningUntilTheBackfillGivesThemPointers() {
        MailSubscription old = subscription("old-1", "acct", "ada", "ada@contoso.example", "inbox");
        storedBeforeTheIndex(old);
        assertEquals(List.of(old), subscriptions.onMailbox("ada@contoso.example"), "before the backfill: the scan");
        assertEquals(List.of(old), subscriptions.of("acct", "ada"));

        subscriptions.backfillIndex(ENOUGH);

        assertEquals(2, pointersTo("old-1").size(), "one from its mailbox, one from its connection");
        // A row without pointers, as one written by an app that predates the index: now unseen, so reads use the index.
        storedBeforeTheIndex(subscription("unindexed", "acct", "ada", "ada@contoso.example", "sentitems"));
        Subscriptions fresh = new Subscriptions(storage, table, indexTable);
        assertEquals(List.of(old), fresh.onMailbox("ada@contoso.example"));
        assertEquals(List.of(old), fresh.of("acct", "ada"));
        fresh.backfillIndex(ENOUGH);
        assertEquals(List.of(), pointersTo("unindexed"), "the backfill runs once");
    }

    @Test
    void aBackfillOutOfTimeStopsAfterAPageAndTheNextRunCarriesOn() {
        int records = 1_001;
        QueueFanOut.<Integer>each((pageSize, page) -> page.accept(IntStream.range(0, records).boxed().toList()), i -> Optional.of(() ->
                storedBeforeTheIndex(subscription(String.format("sub-%04d", i), "acct", "u" + i, "u" + i + "@contoso.example", "inbox"))));

        subscriptions.backfillIndex(Duration.ZERO);

        assertEquals(2 * 1_000, allPointers().size(), "one page of records, two pointers each");
        storedBeforeTheIndex(subscription("sub-0000-late", "acct", "late", "late@contoso.example", "inbox"));
        assertEquals(1, subscriptions.onMailbox("late@contoso.example").size(), "not through yet: reads still scan");

        subscriptions.backfillIndex(Duration.ZERO);

        assertEquals(2 * records, allPointers().size(), "the rest, from where the first run stopped (its last partition again)");
        assertEquals(List.of(), pointersTo("sub-0000-late"), "records before that point are not read again");
        assertEquals(List.of(), new Subscriptions(storage, table, indexTable).onMailbox("late@contoso.example"), "through: reads use the index");
    }

    @Test
    void aPointerWhoseRecordIsMissingIsPassedOver() {
        subscriptions.backfillIndex(ENOUGH);
        MailSubscription kept = subscription("k1", "acct", "ada", "ada@contoso.example", "inbox");
        MailSubscription crashed = subscription("c1", "acct", "ada", "ada@contoso.example", "sentitems");
        subscriptions.save(kept);
        subscriptions.save(crashed);
        // A crash between deleting a record and its pointers leaves the pointers.
        storage.tables().getTableClient(table).deleteEntity("c1", "acct|ada");

        assertEquals(List.of(kept), subscriptions.onMailbox("ada@contoso.example"));
        assertEquals(List.of(kept), subscriptions.of("acct", "ada"));
        assertEquals(2, pointersTo("c1").size(), "young pointers stay: their record may be being written");
    }

    private List<TableEntity> allPointers() {
        List<TableEntity> found = new ArrayList<>();
        storage.tables().getTableClient(indexTable).listEntities(new ListEntitiesOptions().setFilter("PartitionKey ge 'connection:'"),
                null, null).forEach(found::add);
        return found;
    }

    private List<TableEntity> pointersTo(String subscriptionId) {
        TableClient index = storage.tables().getTableClient(indexTable);
        List<TableEntity> found = new ArrayList<>();
        index.listEntities(new ListEntitiesOptions().setFilter("SubscriptionId eq '" + subscriptionId + "'"), null, null).forEach(found::add);
        return found;
    }
}
