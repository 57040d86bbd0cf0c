package io.mailbridge.inbound;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaRequestBuilder;
import com.microsoft.kiota.RequestInformation;
import io.mailbridge.crm.Prospects;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.mailbox.ConnectionLifecycle;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.storage.Stored;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One run of delta sync on one folder of one connection: page through the changes since the stored
 * link, match the account's prospects on the participants alone, take prospect mail as the Inbox delta
 * brought it (body included) or fetch what it lacks (attachments, the Sent Items mark; JSON batches of up to
 * 20), and hand each mail to {@link MailDelivery}. Progress is saved after
 * every page, so a crash or a throttle resumes where it stopped; duplicates are absorbed downstream.
 */
public final class FolderSync {
    private static final Logger LOG = Logger.getLogger(FolderSync.class.getName());
    /**
     * Graph pages message delta at 10 by default: a burst of a hundred mails is then one call, while a page of full
     * messages stays a few MB (Microsoft warns that large pages of whole messages can time out).
     */
    static final int PAGE_SIZE = 100;
    /** Graph's limit for one JSON batch. */
    static final int BATCH_LIMIT = 20;
    /** After an expired delta token, mail from this long before the last good sync is looked at again. */
    static final Duration RESYNC_OVERLAP = Duration.ofDays(1);
    /** A brand-new connection starts with the mail of the few minutes around its creation. */
    static final Duration FIRST_SYNC_LOOKBACK = Duration.ofMinutes(5);
    static final Duration PAUSE_WITHOUT_RETRY_AFTER = Duration.ofSeconds(30);
    /** When writers on the folder's state kept colliding, look again after roughly the time a run takes. */
    static final Duration CONTENDED_PAUSE = Duration.ofSeconds(20);
    /** After a holder's lease ends, so the look comes when the folder is free. */
    private static final Duration LEASE_SLACK = Duration.ofSeconds(5);
    private static final String PREFER = "odata.maxpagesize=" + PAGE_SIZE + ", IdType=\"ImmutableId\"";

    /** How the run ended. */
    public sealed interface Result {
        /**
         * The run reached the end of the changes. {@code settled}: the (immutable) ids of the mails it is done with,
         * delivered or not the CRM's; a notification naming one of them needs no further run.
         */
        record Synced(int mailsSeen, int mailsDelivered, Set<String> settled) implements Result {}

        /**
         * Another run holds the folder. Usually it has been asked to go once more, which covers this request; when the
         * request could not be recorded, or this request was the first to ask (the holder may have died), {@code lookAgain}
         * says when to look at the folder again.
         */
        record Busy(Optional<Duration> lookAgain) implements Result {}

        /** Microsoft asked us to wait (or did not answer); the run can continue later from its saved place. */
        record TryLater(Duration after, String reason) implements Result {}

        /** The connection cannot sync until someone acts (reconnect, licence); it has been marked. */
        record Stopped(String reason) implements Result {}
    }

    private final SyncStates states;
    private final MailboxGraph mailboxGraph;
    private final Prospects prospects;
    private final MailDelivery delivery;
    private final ConnectionLifecycle lifecycle;
    private final Clock clock;

    public FolderSync(SyncStates states, MailboxGraph mailboxGraph, Prospects prospects, MailDelivery delivery,
            ConnectionLifecycle lifecycle, Clock clock) {
        this.states = states;
        this.mailboxGraph = mailboxGraph;
        this.prospects = prospects;
        this.delivery = delivery;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    public Result sync(MailboxConnection connection, String folder) {
        Instant now = clock.instant();
        Stored<SyncState> taken;
        switch (states.lease(connection.accountId(), connection.userId(), folder, now)) {
            case SyncStates.Claim.Taken(Stored<SyncState> state) -> taken = state;
            // A holder that died keeps the mark until its lease ends: the first to ask looks again then.
            case SyncStates.Claim.Held(boolean firstAsked, Instant leaseUntil) -> {
                return new Result.Busy(firstAsked ? Optional.of(Duration.between(now, leaseUntil).plus(LEASE_SLACK)) : Optional.empty());
            }
            case SyncStates.Claim.Contended contended -> {
                return new Result.Busy(Optional.of(CONTENDED_PAUSE));
            }
        }
        Run run = new Run(connection, folder, taken);
        try {
            return run.toTheEnd();
        } catch (DeliveryInProgressException e) {
            // The checkpoint stays before that mail, so the next run sees it again.
            run.release(e.getMessage());
            return new Result.TryLater(e.retryAfter(), e.getMessage());
        } catch (MicrosoftException e) {
            run.release(e.getMessage());
            return afterFailure(connection, e.failure());
        }
    }

    private Result afterFailure(MailboxConnection connection, MicrosoftFailure failure) {
        String said = failure.summary();
        Result waitForMicrosoft = new Result.TryLater(failure.retryAfter().orElse(PAUSE_WITHOUT_RETRY_AFTER), said);
        // A refusal, or a delta token lost again right after a fresh start: the run is tried again later from its saved place.
        Result tryAgainLater = new Result.TryLater(PAUSE_WITHOUT_RETRY_AFTER, said);
        return switch (failure) {
            case MicrosoftFailure.Reauthenticate reauthenticate -> new Result.Stopped(said);
            case MicrosoftFailure.MailboxUnusable unusable -> {
                markFailed(connection, "Microsoft reports no Exchange Online mailbox for this account (unlicensed or on-premises)");
                yield new Result.Stopped(said);
            }
            case MicrosoftFailure.Throttled throttled -> waitForMicrosoft;
            case MicrosoftFailure.Transient failed -> waitForMicrosoft;
            case MicrosoftFailure.QuotaSpent spent -> waitForMicrosoft;
            case MicrosoftFailure.AccessDenied denied -> tryAgainLater;
            case MicrosoftFailure.NotFound notFound -> tryAgainLater;
            case MicrosoftFailure.ResyncRequired resync -> tryAgainLater;
            case MicrosoftFailure.Refused refused -> tryAgainLater;
        };
    }

    /** Only an expired delta token is healed by starting over; every other failure ends the run. */
    private static boolean deltaTokenExpired(MicrosoftFailure failure) {
        return switch (failure) {
            case MicrosoftFailure.Reauthenticate reauthenticate -> false;
            case MicrosoftFailure.MailboxUnusable unusable -> false;
            case MicrosoftFailure.Throttled throttled -> false;
            case MicrosoftFailure.Transient failed -> false;
            case MicrosoftFailure.QuotaSpent spent -> false;
            case MicrosoftFailure.AccessDenied denied -> false;
            case MicrosoftFailure.NotFound notFound -> false;
            case MicrosoftFailure.ResyncRequired resync -> true;
            case MicrosoftFailure.Refused refused -> false;
        };
    }

    /** The state of one run: its lease, and what it delivered since the last save. */
    private final class Run {
        private final MailboxConnection connection;
        private final String folder;
        private final MailItem.Source source;
        private Stored<SyncState> state;
        private int seen;
        private int delivered;
        private int deliveredSinceSave;
        private final Set<String> settled = new HashSet<>();

        Run(MailboxConnection connection, String folder, Stored<SyncState> state) {
            this.connection = connection;
            this.folder = folder;
            this.source = "sentitems".equals(folder) ? MailItem.Source.SENT_ITEMS : MailItem.Source.INBOX;
            this.state = state;
        }

        Result toTheEnd() {
            MailboxGraph.Session session = mailboxGraph.open(connection);
            GraphServiceClient graph = session.client();
            String link = state.value().link();
            boolean restarted = false;
            while (true) {
                DeltaGetResponse page;
                try {
                    page = fetch(graph, link);
                } catch (RuntimeException e) {
                    MicrosoftException failed = MicrosoftException.of(e);
                    if (deltaTokenExpired(failed.failure()) && !restarted) {
                        // The delta token expired (syncStateNotFound): start over from a bounded window.
                        LOG.info(() -> "Delta token of " + folder + " expired for " + connection.accountId() + "/" + connection.userId());
                        restarted = true;
                        link = null;
                        state = states.save(state, state.value().restarted());
                        continue;
                    }
                    throw failed;
                }
                deliverPage(graph, session.userObjectId(), page.getValue() == null ? List.of() : page.getValue());
                if (page.getOdataNextLink() != null) {
                    link = page.getOdataNextLink();
                    state = states.save(state, state.value().progressed(link, deliveredSinceSave));
                    deliveredSinceSave = 0;
                } else {
                    Instant now = clock.instant();
                    Optional<Stored<SyncState>> again = states.finish(state,
                            state.value().completed(page.getOdataDeltaLink(), deliveredSinceSave, now), now);
                    deliveredSinceSave = 0;
                    if (again.isEmpty()) {
                        return new Result.Synced(seen, delivered, Set.copyOf(settled));
                    }
                    // Requests came during the round: one more round from the new delta link covers them all.
                    state = again.get();
                    link = state.value().link();
                }
            }
        }

        void release(String error) {
            try {
                states.save(state, state.value().released(deliveredSinceSave, error));
            } catch (RuntimeException e) {
                // The lease expires on its own; the error is in the log.
                LOG.warning(() -> "Could not release the sync lease of " + folder + ": " + e.getClass().getSimpleName());
            }
        }

        private DeltaGetResponse fetch(GraphServiceClient graph, String link) {
            DeltaRequestBuilder delta = graph.me().mailFolders().byMailFolderId(folder).messages().delta();
            if (link != null) {
                return delta.withUrl(link).get(request -> request.headers.add("Prefer", PREFER));
            }
            String since = DateTimeFormatter.ISO_INSTANT.format(startOfWindow().truncatedTo(ChronoUnit.SECONDS));
            return delta.get(request -> {
                request.queryParameters.select = GraphMail.deltaSelect(source);
                request.queryParameters.filter = "receivedDateTime ge " + since;
                request.headers.add("Prefer", PREFER);
            });
        }

        private Instant startOfWindow() {
            Instant lastSync = state.value().lastSyncAt();
            return lastSync != null ? lastSync.minus(RESYNC_OVERLAP) : connection.createdAt().minus(FIRST_SYNC_LOOKBACK);
        }

        private void deliverPage(GraphServiceClient graph, String userObjectId, List<Message> messages) {
            Map<MailItem, Set<String>> participants = new LinkedHashMap<>();
            Set<String> complete = new HashSet<>();
            for (Message message : messages) {
                if (message.getId() != null) {
                    settled.add(message.getId());
                }
                if (GraphMail.isRemoved(message) || Boolean.TRUE.equals(message.getIsDraft())) {
                    continue;
                }
                MailItem item = GraphMail.item(source, message);
                participants.put(item, MailDelivery.participantsOf(connection, item));
                if (GraphMail.isComplete(source, message)) {
                    complete.add(item.graphMessageId());
                }
            }
            seen += participants.size();
            Set<String> everyone = new HashSet<>();
            participants.values().forEach(everyone::addAll);
            Set<String> prospectsOnPage = everyone.isEmpty() ? Set.of() : prospects.prospectsAmong(connection.accountId(), everyone);
            Map<String, Set<String>> wanted = new LinkedHashMap<>();
            List<String> toFetch = new ArrayList<>();
            for (Map.Entry<MailItem, Set<String>> entry : participants.entrySet()) {
                MailItem item = entry.getKey();
                Set<String> matched = new HashSet<>(entry.getValue());
                matched.retainAll(prospectsOnPage);
                if (matched.isEmpty() || delivery.wasDelivered(connection, item)) {
                    continue;
                }
                if (complete.contains(item.graphMessageId())) {
                    deliver(item, matched);
                } else {
                    wanted.put(item.graphMessageId(), matched);
                    toFetch.add(item.graphMessageId());
                }
            }
            for (int from = 0; from < toFetch.size(); from += BATCH_LIMIT) {
                for (Message full : fetchBodies(graph, userObjectId, toFetch.subList(from, Math.min(toFetch.size(), from + BATCH_LIMIT)))) {
                    if (GraphMail.isUnfinishedCopy(full)) {
                        // Finished by a later update, which only a later run sees: not settled by this one.
                        settled.remove(full.getId());
                    } else {
                        deliver(GraphMail.item(source, full), wanted.get(full.getId()));
                    }
                }
            }
        }

        private void deliver(MailItem item, Set<String> prospects) {
            if (delivery.deliver(connection, item, prospects) == MailDelivery.Outcome.DELIVERED) {
                delivered++;
                deliveredSinceSave++;
            }
        }

        /** One JSON batch; a mail deleted meanwhile (404) is skipped, a throttled step throttles the run. */
        private List<Message> fetchBodies(GraphServiceClient graph, String userObjectId, List<String> ids) {
            BatchRequestContent batch = new BatchRequestContent(graph);
            List<String> steps = new ArrayList<>();
            for (String id : ids) {
                // Batch steps bypass the SDK's /me rewriting, so they name the user by object id.
                RequestInformation get = graph.users().byUserId(userObjectId).messages().byMessageId(id)
                        .toGetRequestInformation(request -> {
                            request.queryParameters.select = GraphMail.BODY_SELECT;
                            request.queryParameters.expand = source == MailItem.Source.SENT_ITEMS
                                    ? GraphMail.SENT_ITEMS_EXPAND : GraphMail.ATTACHMENTS_EXPAND;
                            request.headers.add("Prefer", "IdType=\"ImmutableId\"");
                        });
                steps.add(batch.addBatchRequestStep(get));
            }
            BatchResponseContent responses;
            try {
                responses = graph.getBatchRequestBuilder().post(batch, null);
            } catch (IOException e) {
                throw new MicrosoftException(MicrosoftFailure.unreachable(e));
            } catch (RuntimeException e) {
                throw MicrosoftException.of(e);
            }
            Map<String, Integer> statuses = responses.getResponsesStatusCode();
            List<Message> messages = new ArrayList<>();
            for (String step : steps) {
                // A step missing from the answer is Graph's failure to carry it out.
                int status = statuses.getOrDefault(step, 500);
                if (status == 200) {
                    messages.add(responses.getResponseById(step, Message::createFromDiscriminatorValue));
                    continue;
                }
                MicrosoftFailure failure = MicrosoftFailure.ofBatchStep(responses, step, status, clock);
                if (!failure.isNotFound()) {
                    throw new MicrosoftException(failure);
                }
            }
            return messages;
        }
    }

    /** A connection disconnected while this run was under way stays DISCONNECTED: the transition is not made, the CRM not told. */
    private void markFailed(MailboxConnection connection, String reason) {
        lifecycle.apply(connection.accountId(), connection.userId(), ConnectionTransition.FAIL, reason, clock.instant());
    }
}
