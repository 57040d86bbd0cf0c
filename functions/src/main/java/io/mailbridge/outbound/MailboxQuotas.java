package io.mailbridge.outbound;

import com.azure.data.tables.models.TableEntity;
import io.mailbridge.config.Settings;
import io.mailbridge.storage.EntityMapper;
import io.mailbridge.storage.EntityTable;
import io.mailbridge.storage.Properties;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Each Microsoft mailbox's sending quota, one partition per mailbox ({@link SendingQuota#mailboxId()}), shared by
 * every connection of that mailbox in any CRM account. The quota and the outbox claim live in different partitions,
 * so no transaction holds both: an attempt first reserves its recipients here (written on the version it decided
 * from), then claims the send, and gives the reservation back if the claim fails. A crash in between leaves the
 * reservation counted: the mailbox may be counted over its use, never under it.
 */
public final class MailboxQuotas {
    private static final String QUOTA_ROW = "quota";

    /** Recipients and a place in the minute counted at {@code at} for one attempt: given back when its claim fails. */
    record Reservation(String mailboxId, int recipients, Instant at) {}

    /** What the mailbox's count said for one attempt, already stored; {@code reservation} when its recipients were counted now. */
    record Decision(SendingQuota.Route route, Optional<Reservation> reservation) {}

    /** Takes the send for the route the quota chose; empty when another attempt changed the send first. */
    @FunctionalInterface
    interface Claim<T> {
        Optional<T> claim(SendingQuota.Route route, boolean countedNow);
    }

    private final EntityTable<SendingQuota> table;
    private final Settings.SendingLimits limits;

    public MailboxQuotas(StorageClients storage, Settings.SendingLimits limits) {
        this.table = new EntityTable<>(storage.table(StorageNames.SENDING_QUOTAS_TABLE), new Mapper());
        this.limits = limits;
    }

    /** The mailbox's quota as stored; unused when nothing was ever counted for it. */
    public SendingQuota of(String mailboxId) {
        return table.find(partition(mailboxId), QUOTA_ROW).map(stored -> stored.value()).orElse(SendingQuota.unused(mailboxId));
    }

    /**
     * The whole of an attempt's turn at the quota: {@link #reserve}, then {@code claim} the send for the route chosen
     * (told whether its recipients were counted now), and {@link #giveBack} the reservation when the claim fails. If
     * this dies between reserving and claiming, the reservation stays counted: over, never under.
     */
    <T> Optional<T> reserveAndClaim(String mailboxId, int recipients, boolean alreadyCounted, Instant now, Claim<T> claim) {
        Decision decision = reserve(mailboxId, recipients, alreadyCounted, now);
        Optional<T> claimed = claim.claim(decision.route(), decision.reservation().isPresent());
        if (claimed.isEmpty()) {
            decision.reservation().ifPresent(this::giveBack);
        }
        return claimed;
    }

    /**
     * Decides the route of a mail of {@code recipients} and stores what it counts (or the exhaustion it finds) before
     * anything else happens, conditionally on the version decided from; on a conflict it decides again on a fresh read,
     * so parallel attempts on one mailbox never count past its limits. {@code alreadyCounted}: an earlier attempt of
     * this send counted it.
     */
    Decision reserve(String mailboxId, int recipients, boolean alreadyCounted, Instant now) {
        return table.decide(partition(mailboxId), QUOTA_ROW, SendingQuota.unused(mailboxId), current -> {
            SendingQuota.Route route = current.route(recipients, alreadyCounted, limits, now);
            Decision unreserved = new Decision(route, Optional.empty());
            return switch (route) {
                case SendingQuota.Route.ThroughMailbox(SendingQuota counted) when counted != null ->
                        new EntityTable.Decision<>(counted, new Decision(route, Optional.of(new Reservation(mailboxId, recipients, now))));
                case SendingQuota.Route.ThroughMailbox through -> new EntityTable.Decision<>(null, unreserved);
                case SendingQuota.Route.ThroughRelay(SendingQuota marked) -> new EntityTable.Decision<>(marked, unreserved);
                case SendingQuota.Route.Wait wait -> new EntityTable.Decision<>(null, unreserved);
            };
        });
    }

    /** Takes back a reservation whose attempt did not get the send (another attempt claimed it). */
    void giveBack(Reservation reservation) {
        table.update(partition(reservation.mailboxId()), QUOTA_ROW, q -> q.givenBack(reservation.recipients(), reservation.at()));
    }

    /** Exchange refused a send for the mailbox's spent quota: every connection of the mailbox falls back to the relay. */
    void reportExhausted(String mailboxId, Duration retryAfter, Instant now) {
        table.decide(partition(mailboxId), QUOTA_ROW, SendingQuota.unused(mailboxId), current -> {
            SendingQuota exhausted = current.reportedExhausted(retryAfter, now);
            return new EntityTable.Decision<>(exhausted, exhausted);
        });
    }

    private static String partition(String mailboxId) {
        return TableKeys.escape(mailboxId);
    }

    /** Minutes as "minute:recipients,..." and message times as epoch milliseconds: a day of minutes stays far below 64 KiB. */
    private static final class Mapper implements EntityMapper<SendingQuota> {
        @Override
        public String partitionKey(SendingQuota q) {
            return partition(q.mailboxId());
        }

        @Override
        public String rowKey(SendingQuota q) {
            return QUOTA_ROW;
        }

        @Override
        public void writeProperties(SendingQuota q, TableEntity e) {
            e.addProperty("RecipientsByMinute", q.recipientsByMinute().stream().map(m -> m.minute() + ":" + m.recipients())
                    .collect(Collectors.joining(",")));
            e.addProperty("RecentMessages", q.recentMessages().stream().map(at -> Long.toString(at.toEpochMilli()))
                    .collect(Collectors.joining(",")));
            Properties.instant(e, "ExhaustedUntil", q.exhaustedUntil());
            Properties.stringIfPresent(e, "ExhaustedBy", q.exhaustedBy() == null ? null : q.exhaustedBy().name());
        }

        @Override
        public SendingQuota read(TableEntity e) {
            return new SendingQuota(
                    TableKeys.unescape(e.getPartitionKey()),
                    items(Properties.string(e, "RecipientsByMinute")).stream().map(item -> {
                        int colon = item.indexOf(':');
                        return new SendingQuota.MinuteCount(Long.parseLong(item.substring(0, colon)), Integer.parseInt(item.substring(colon + 1)));
                    }).toList(),
                    items(Properties.string(e, "RecentMessages")).stream().map(item -> Instant.ofEpochMilli(Long.parseLong(item))).toList(),
                    Properties.instant(e, "ExhaustedUntil"),
                    Properties.enumValue(e, "ExhaustedBy", SendingQuota.Exhaustion.class));
        }

        private static List<String> items(String joined) {
            return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
        }
    }
}
