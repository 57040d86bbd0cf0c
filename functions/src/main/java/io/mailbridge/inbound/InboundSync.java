package io.mailbridge.inbound;

import io.mailbridge.webhook.NotificationIntake;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.QueueFanOut;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.telemetry.InvocationLog;
import io.mailbridge.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Turns queued notifications into delta runs. A notification only says "something changed in this
 * folder"; the run finds what. However many arrive for one folder, one run is in flight and at most
 * one more is due behind it: on this instance they mark the folder for the round after the one in flight
 * ({@link FolderRounds}), which starts no sooner than {@link #FOLLOW_UP_SPACING} after that one began, and a run
 * on another instance is marked to go once more. A throttled folder is queued again with a delay,
 * so the change is always covered by a later run, and one slow mailbox never holds up the others.
 */
public final class InboundSync {
    private static final Logger LOG = Logger.getLogger(InboundSync.class.getName());
    private static final String INBOX = "inbox";
    private static final String CATCH_UP = "catch-up";
    /**
     * Rounds of one busy folder start at most once a second: a storm then costs one delta round (a few storage
     * requests and a Graph call) per second instead of per round's length, and its mail reaches the CRM at most 1 s later.
     */
    static final Duration FOLLOW_UP_SPACING = Duration.ofSeconds(1);

    /** One folder of one connection. */
    record Target(String accountId, String userId, String folder) {}

    private final MailboxConnections connections;
    private final FolderSync folderSync;
    private final QueueProducer queue;
    private final Metrics metrics;
    private final QueueFanOut fanOut;
    private final Clock clock;
    private final FolderRounds<Target, FolderSync.Result> rounds = new FolderRounds<>(FOLLOW_UP_SPACING);

    public InboundSync(MailboxConnections connections, FolderSync folderSync, QueueProducer queue, Metrics metrics, Clock clock) {
        this.connections = connections;
        this.folderSync = folderSync;
        this.queue = queue;
        this.metrics = metrics;
        this.fanOut = new QueueFanOut(queue);
        this.clock = clock;
    }

    /** Processes one queue message: the notifications of one webhook POST, or a catch-up request. */
    public void process(String queueMessage) {
        NotificationIntake.Batch batch;
        try {
            batch = Json.MAPPER.readValue(queueMessage, NotificationIntake.Batch.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A mail-changes message is not a notification batch: " + e.getOriginalMessage());
        }
        // Per folder, the mails its notifications name (a catch-up or a retry names none).
        Map<Target, List<String>> targets = new LinkedHashMap<>();
        batch.changes().forEach(change -> targets.computeIfAbsent(new Target(change.accountId(), change.userId(), change.folder()),
                target -> new ArrayList<>()).add(change.messageId()));
        // Catch-ups come from the sweep (or a reconnect); everything else follows a notification, directly or as its retry.
        Metrics.Source source = batch.changes().stream().allMatch(change -> CATCH_UP.equals(change.kind()))
                ? Metrics.Source.SWEEP : Metrics.Source.WEBHOOK;
        targets.forEach((target, messageIds) -> sync(target, messageIds, source));
    }

    /** Asks for a catch-up of every folder the connection syncs: after reconnecting, or a lost subscription. */
    public void requestCatchUp(MailboxConnection connection, Duration delay) {
        requestCatchUp(connection, GraphSubscriptions.foldersFor(connection.mode()), delay);
    }

    private void requestCatchUp(MailboxConnection connection, List<String> folders, Duration delay) {
        if (!folders.isEmpty()) {
            queue.send(StorageNames.MAIL_CHANGES_QUEUE, catchUp(connection, folders), delay);
        }
    }

    private String catchUp(MailboxConnection connection, List<String> folders) {
        List<NotificationIntake.Change> changes = folders.stream()
                .map(folder -> new NotificationIntake.Change(connection.accountId(), connection.userId(), folder, null, CATCH_UP, null))
                .toList();
        return Json.write(new NotificationIntake.Batch(clock.instant().toString(), changes));
    }

    /**
     * The periodic sweep: a catch-up of every syncing connection's Inbox, which heals any notification Graph
     * dropped. Sent Items are left to the Sent-folder reconciliation ({@code io.mailbridge.sentsync}), which runs
     * the same delta on its own timer; sweeping them here too would only repeat its Graph call. Connections are
     * read a page at a time and their catch-ups put in parallel ({@link QueueFanOut}).
     */
    public int sweep() {
        return fanOut.run(connections::forEachPage, connection -> syncs(connection)
                ? Optional.of(new QueueFanOut.Job(StorageNames.MAIL_CHANGES_QUEUE, catchUp(connection, List.of(INBOX))))
                : Optional.empty());
    }

    private void sync(Target target, List<String> messageIds, Metrics.Source source) {
        rounds.request(target, this::round, InboundSync::goesOnAfter, result -> covers(result, messageIds))
                .ifPresent(result -> after(target, result, source));
    }

    /** Requests that came during a round get another round only after one that synced; a busy, paused or stopped folder waits for its retry. */
    private static boolean goesOnAfter(FolderSync.Result result) {
        return switch (result) {
            case FolderSync.Result.Synced synced -> true;
            case FolderSync.Result.Busy busy -> false;
            case FolderSync.Result.TryLater later -> false;
            case FolderSync.Result.Stopped stopped -> false;
        };
    }

    /**
     * Whether a round that was under way when the notifications came already settled every mail they name: their
     * ids and the delta's are both immutable ids (the subscription asked for them), so a round after it would find nothing new.
     */
    private static boolean covers(FolderSync.Result result, List<String> messageIds) {
        return switch (result) {
            case FolderSync.Result.Synced synced -> messageIds.stream().allMatch(id -> id != null && synced.settled().contains(id));
            case FolderSync.Result.Busy busy -> false;
            case FolderSync.Result.TryLater later -> false;
            case FolderSync.Result.Stopped stopped -> false;
        };
    }

    /** One delta round, if the connection still syncs the folder; Synced with nothing seen when it does not. */
    private FolderSync.Result round(Target target) {
        Optional<MailboxConnection> connection = connections.find(target.accountId(), target.userId()).map(s -> s.value());
        if (connection.isEmpty() || !syncs(connection.get())
                || !GraphSubscriptions.foldersFor(connection.get().mode()).contains(target.folder())) {
            return new FolderSync.Result.Synced(0, 0, Set.of());
        }
        InvocationLog.mailbox(target.accountId(), connection.get().logName());
        return folderSync.sync(connection.get(), target.folder());
    }

    private void after(Target target, FolderSync.Result result, Metrics.Source source) {
        switch (result) {
            case FolderSync.Result.Busy busy -> busy.lookAgain().ifPresent(delay -> again(target, delay));
            case FolderSync.Result.TryLater(Duration after, String reason) -> {
                LOG.info(() -> "Sync of " + target + " paused for " + after.toSeconds() + " s: " + reason);
                again(target, after);
            }
            case FolderSync.Result.Synced(int seen, int delivered, Set<String> settled) when delivered > 0 -> {
                metrics.mailsDelivered(source, delivered);
                LOG.info(() -> "Sync of " + target + " delivered " + delivered + " of " + seen + " mails");
            }
            case FolderSync.Result.Synced nothingNew -> { }
            // The connection is marked as it needs; its next notification or the sweep syncs again.
            case FolderSync.Result.Stopped stopped -> { }
        }
    }

    /** Only active 2-way connections sync automatically; 1-way users push mail by BCC. */
    private static boolean syncs(MailboxConnection connection) {
        return connection.state() == ConnectionState.ACTIVE && connection.mode() == SyncMode.TWO_WAY;
    }

    private void again(Target target, Duration delay) {
        NotificationIntake.Change change = new NotificationIntake.Change(target.accountId(), target.userId(), target.folder(), null, "retry", null);
        queue.send(StorageNames.MAIL_CHANGES_QUEUE, Json.write(new NotificationIntake.Batch(clock.instant().toString(), List.of(change))), delay);
    }
}
