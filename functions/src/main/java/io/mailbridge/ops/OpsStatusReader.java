package io.mailbridge.ops;

import com.azure.storage.queue.QueueClient;
import com.azure.core.util.Context;
import com.azure.storage.queue.models.QueuesSegmentOptions;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.mailbridge.config.Region;
import io.mailbridge.crm.DeadLetters;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.ops.OpsStatus.ConnectionCounts;
import io.mailbridge.ops.OpsStatus.Depth;
import io.mailbridge.ops.OpsStatus.QueueStatus;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.Tally;
import io.mailbridge.storage.TimerRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes the stamp's {@link OpsStatus} from its storage. Cost per snapshot: one listing of the queues, then for each
 * queue and poison queue that exists its properties and, when it holds messages, a peek (poison queues exist only
 * once the host has needed one, so a healthy stamp reads six queues, not twelve); one small query of the timer runs,
 * and paged reads of only the needed columns: the connections (one table transaction per 1,000), the subscriptions
 * expiring within a day and the dead letters. Memory holds counts, never the rows.
 */
public final class OpsStatusReader {
    static final Duration EXPIRY_HORIZON = Duration.ofDays(1);

    private final StorageClients storage;
    private final MailboxConnections connections;
    private final Subscriptions subscriptions;
    private final DeadLetters deadLetters;
    private final TimerRuns timerRuns;
    private final Region region;
    private final Clock clock;

    public OpsStatusReader(StorageClients storage, MailboxConnections connections, Subscriptions subscriptions, DeadLetters deadLetters,
            TimerRuns timerRuns, Region region, Clock clock) {
        this.storage = storage;
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.deadLetters = deadLetters;
        this.timerRuns = timerRuns;
        this.region = region;
        this.clock = clock;
    }

    public OpsStatus read() {
        Instant now = clock.instant();
        Tally expiring = subscriptions.expiringBefore(now.plus(EXPIRY_HORIZON));
        Tally dead = deadLetters.open();
        // With metadata: the SDK's listing without it sends an empty include=, which Azurite refuses (400).
        Set<String> existing = storage.queues().listQueues(new QueuesSegmentOptions().setIncludeMetadata(true), null, Context.NONE).stream()
                .map(QueueItem::getName).collect(Collectors.toSet());
        List<QueueStatus> queues = StorageNames.QUEUES.stream().map(queue -> new QueueStatus(queue, depth(queue, existing, now),
                depth(StorageNames.poisonQueue(queue), existing, now))).toList();
        return new OpsStatus(region, now, connectionCounts(), new OpsStatus.ExpiringSubscriptions(expiring.count(), expiring.earliest()),
                queues, new OpsStatus.OpenDeadLetters(dead.count(), dead.earliest()), timerRuns.all());
    }

    private ConnectionCounts connectionCounts() {
        Map<Region, Map<ConnectionState, Long>> byRegion = connections.countByRegionAndState();
        Map<ConnectionState, Long> byState = new EnumMap<>(ConnectionState.class);
        for (ConnectionState state : ConnectionState.values()) {
            byState.put(state, byRegion.values().stream().mapToLong(counts -> counts.getOrDefault(state, 0L)).sum());
        }
        return new ConnectionCounts(byState.values().stream().mapToLong(Long::longValue).sum(), byState, byRegion);
    }

    /**
     * The count is the service's approximation; the front message is the one a peek sees, the oldest visible one
     * in practice (Azure does not promise FIFO). A queue that does not exist (a poison queue the host has not
     * needed) is empty.
     */
    private Depth depth(String queue, Set<String> existing, Instant now) {
        if (!existing.contains(queue)) {
            return new Depth(queue, 0, null, null);
        }
        QueueClient client = storage.queues().getQueueClient(queue);
        try {
            long count = client.getProperties().getApproximateMessagesCount();
            Optional<Instant> front = count == 0 ? Optional.empty()
                    : client.peekMessages(1, null, null).stream().findFirst().map(PeekedMessageItem::getInsertionTime).map(OffsetDateTime::toInstant);
            return new Depth(queue, count, front.orElse(null),
                    front.map(inserted -> Math.max(0, Duration.between(inserted, now).toSeconds())).orElse(null));
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                // Deleted since the listing.
                return new Depth(queue, 0, null, null);
            }
            throw e;
        }
    }
}
