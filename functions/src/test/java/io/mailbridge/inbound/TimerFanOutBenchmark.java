package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.storage.queue.QueueClient;
import io.mailbridge.config.Region;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sentsync.SentReconciliation;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.subscriptions.SubscriptionUpkeep;
import io.mailbridge.support.NoTelemetry;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test: how long the inbound sweep, the Sent-folder reconciliation timer and the subscription renewal timer take
 * to schedule 10,000 connections on Azurite, and the heap they use meanwhile (sampled). Neither surefire nor failsafe picks up
 * *Benchmark classes; run it alone with
 * {@code mvn -q -o -pl functions -am test -Dtest=TimerFanOutBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(AzuriteExtension.class)
class TimerFanOutBenchmark {
    private static final int ACCOUNTS = 100;
    private static final int USERS_PER_ACCOUNT = 100;
    private static final int BASELINE = 1_000;
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void measure(Azurite azurite) throws Exception {
        StorageClients storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
        MailboxConnections connections = new MailboxConnections(storage);
        QueueProducer producer = new QueueProducer(storage);
        store(storage, connections);
        Clock clock = Clock.systemUTC();
        // The timers' fan-out touches only the connections and the queue; the services behind the jobs are not needed.
        InboundSync sweep = new InboundSync(connections, null, producer, NoTelemetry.METRICS, clock);
        SentReconciliation reconciliation = new SentReconciliation(connections, null, null, null, producer, clock);
        SubscriptionUpkeep renewal = new SubscriptionUpkeep(new Subscriptions(storage), null, connections, null, null, producer, clock);

        StringBuilder report = new StringBuilder(String.format("Timer fan-out over %,d connections (%d accounts)%n",
                ACCOUNTS * USERS_PER_ACCOUNT, ACCOUNTS));
        // The fan-out as it was: the whole list read, then one put after another, timed over the first 1,000 puts.
        long started = System.nanoTime();
        List<MailboxConnection> all = connections.all();
        long read = System.nanoTime();
        for (MailboxConnection connection : all.subList(0, BASELINE)) {
            producer.send(StorageNames.MAIL_CHANGES_QUEUE, "{\"accountId\":\"" + connection.accountId() + "\"}");
        }
        double readSeconds = (read - started) / 1e9;
        double putSeconds = (System.nanoTime() - read) / 1e9 / BASELINE;
        report.append(String.format("%-27s read %,d in %.1f s, puts at %,.0f/s: %,.0f s for all%n", "before: list, put by put",
                all.size(), readSeconds, 1 / putSeconds, readSeconds + all.size() * putSeconds));
        report.append(timed("inbound sweep", sweep::sweep, storage.queues().getQueueClient(StorageNames.MAIL_CHANGES_QUEUE)));
        report.append(timed("sent-folder reconciliation", reconciliation::fanOut,
                storage.queues().getQueueClient(StorageNames.SENT_RECONCILIATION_QUEUE)));
        report.append(timed("subscription renewal", renewal::fanOut,
                storage.queues().getQueueClient(StorageNames.SUBSCRIPTION_RENEWAL_QUEUE)));
        report.append(backfill(storage));
        System.out.println(report);
    }

    private static String timed(String timer, IntSupplier fanOut, QueueClient queue) throws InterruptedException {
        queue.clearMessages();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long started = System.nanoTime();
        int scheduled = fanOut.getAsInt();
        double seconds = (System.nanoTime() - started) / 1e9;
        running.set(false);
        sampler.join();
        assertEquals(ACCOUNTS * USERS_PER_ACCOUNT, scheduled, "every connection scheduled");
        assertEquals(scheduled, queue.getProperties().getApproximateMessagesCount(), "one message per connection");
        return String.format("%-27s %,6d jobs in %5.1f s (%,5.0f/s), heap above the start at most %,4d MiB (sampled)%n", timer,
                scheduled, seconds, scheduled / seconds, (peak.get() - before) / (1024 * 1024));
    }

    /**
     * The subscription index's one-time backfill (the first renewal run after the index shipped): records of 1,000
     * connections' two folders stored as before the index, then given their pointers.
     */
    private static String backfill(StorageClients storage) {
        int records = 2 * BASELINE;
        String table = TestStorage.newTable(storage, "benchsubs");
        String index = TestStorage.newTable(storage, "benchsubsindex");
        TableClient rows = storage.tables().getTableClient(table);
        QueueFanOut.<Integer>each((pageSize, page) -> page.accept(IntStream.range(0, records).boxed().toList()), i -> Optional.of(() ->
                rows.upsertEntity(new TableEntity("sub-" + i, "fanout-" + i / 200 + "|u" + i / 2 % 100)
                        .addProperty("AccountId", "fanout-" + i / 200).addProperty("UserId", "u" + i / 2 % 100)
                        .addProperty("Mailbox", "u" + i / 2 % 100 + "@contoso.example").addProperty("Folder", i % 2 == 0 ? "inbox" : "sentitems")
                        .addProperty("ClientStateHash", "0".repeat(64)).addProperty("ExpiresAt", OffsetDateTime.of(2026, 12, 10, 9, 0, 0, 0, ZoneOffset.UTC)))));
        long started = System.nanoTime();
        new Subscriptions(storage, table, index).backfillIndex(Duration.ofHours(1));
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format("%-27s %,6d records in %5.1f s (%,5.0f/s), once per stamp%n", "subscription index backfill", records,
                seconds, records / seconds);
    }

    /**
     * 10,000 active 2-way connections: one account's 100 stored as the product stores them, then their user rows
     * copied to 99 more accounts, a transaction per account (the fan-out reads user rows only).
     */
    private static void store(StorageClients storage, MailboxConnections connections) {
        for (int u = 0; u < USERS_PER_ACCOUNT; u++) {
            connections.connect(new MailboxConnection("fanout-0", "u" + u, "u" + u + "@contoso.example", ConnectionState.ACTIVE,
                    SyncMode.TWO_WAY, Profile.FULL, Region.US, List.of(), null, null, NOW, NOW), Optional.empty());
        }
        TableClient table = storage.tables().getTableClient(StorageNames.CONNECTIONS_TABLE);
        List<TableEntity> users = new ArrayList<>();
        table.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq 'fanout-0' and RowKey ge 'user:' and RowKey lt 'user;'"),
                null, null).forEach(users::add);
        assertEquals(USERS_PER_ACCOUNT, users.size());
        for (int a = 1; a < ACCOUNTS; a++) {
            String account = "fanout-" + a;
            table.submitTransaction(users.stream().map(user -> new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
                    copy(user, account))).toList());
        }
    }

    /** The user row under another account: its properties less the keys and the service's own (timestamp, etag). */
    private static TableEntity copy(TableEntity user, String account) {
        TableEntity copy = new TableEntity(account, user.getRowKey());
        user.getProperties().forEach((name, value) -> {
            if (!name.equals("PartitionKey") && !name.equals("RowKey") && !name.equals("Timestamp") && !name.startsWith("odata.")) {
                copy.addProperty(name, value);
            }
        });
        return copy;
    }
}
