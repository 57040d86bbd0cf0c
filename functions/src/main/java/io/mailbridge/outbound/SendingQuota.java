package io.mailbridge.outbound;

import io.mailbridge.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Microsoft mailbox's use of its sending limits, shared by every connection of it in any CRM
 * account (Exchange counts per mailbox): recipients per minute over the rolling 24 hours (Exchange's
 * quota) and the times of the messages of the last minute (its pace), plus until when the mailbox
 * counts as exhausted, because the count said so or Exchange did.
 *
 * @param mailboxId the mailbox's immutable id: the Entra home account id MSAL returned at sign-in, "&lt;oid&gt;.&lt;tid&gt;"
 *
 * <p>Recipients are kept per minute, so a whole day fits in one entity; a minute's recipients leave
 * the window only when the last instant of that minute is 24 hours old. The window so frees up to a
 * minute later than Exchange's own, never earlier: the count never lets the mailbox overrun.
 */
public record SendingQuota(String mailboxId, List<MinuteCount> recipientsByMinute, List<Instant> recentMessages,
        Instant exhaustedUntil, Exhaustion exhaustedBy) {

    static final Duration WINDOW = Duration.ofHours(24);
    static final Duration MINUTE = Duration.ofMinutes(1);
    /** Counted when the send starts, a little before Exchange counts it; the margin keeps the pace under Exchange's. */
    static final Duration PACE_MARGIN = Duration.ofSeconds(1);

    /** Recipients of the mail sent in one minute (minutes since the epoch). */
    public record MinuteCount(long minute, int recipients) {
        Instant leavesWindowAt() {
            return Instant.ofEpochSecond((minute + 1) * 60).plus(WINDOW);
        }
    }

    /** Why the mailbox counts as exhausted. */
    public enum Exhaustion {
        /** The product's own count would pass the limit. */
        COUNTED,
        /** Exchange refused a send for the spent quota (Graph ErrorQuotaExceeded). */
        REPORTED
    }

    /** What the next send of a connection should do. */
    public sealed interface Route {
        /** Through the mailbox; {@code quota} counts the mail (null: an earlier attempt counted it), written before the claim. */
        record ThroughMailbox(SendingQuota quota) implements Route {}

        /** Through the relay; {@code quota} is non-null when this decision marks the mailbox exhausted. */
        record ThroughRelay(SendingQuota quota) implements Route {}

        /** Not before {@code until}: the mailbox has sent its messages of this minute. */
        record Wait(Instant until) implements Route {}
    }

    public SendingQuota {
        recipientsByMinute = List.copyOf(recipientsByMinute);
        recentMessages = List.copyOf(recentMessages);
    }

    static SendingQuota unused(String mailboxId) {
        return new SendingQuota(mailboxId, List.of(), List.of(), null, null);
    }

    public int recipientsInWindow(Instant now) {
        return recipientsByMinute.stream().filter(m -> m.leavesWindowAt().isAfter(now)).mapToInt(MinuteCount::recipients).sum();
    }

    public int messagesInLastMinute(Instant now) {
        return (int) recentMessages.stream().filter(at -> at.plus(MINUTE).isAfter(now)).count();
    }

    public boolean isExhaustedAt(Instant now) {
        return exhaustedUntil != null && exhaustedUntil.isAfter(now);
    }

    /**
     * Where a mail of {@code recipients} goes now. {@code alreadyCounted}: an earlier attempt counted it
     * (and may have taken its place in the minute), so it is neither counted nor paced again.
     */
    Route route(int recipients, boolean alreadyCounted, Settings.SendingLimits limits, Instant now) {
        if (isExhaustedAt(now)) {
            return new Route.ThroughRelay(null);
        }
        if (alreadyCounted) {
            return new Route.ThroughMailbox(null);
        }
        if (recipients > limits.recipientsPerDay()) {
            // Never fits in a day; the mailbox stays usable for smaller mail.
            return new Route.ThroughRelay(null);
        }
        SendingQuota current = withoutExpired(now);
        int used = current.recipientsInWindow(now);
        if (used + recipients > limits.recipientsPerDay()) {
            Instant frees = current.enoughFreeAt(used + recipients - limits.recipientsPerDay(), now);
            return new Route.ThroughRelay(current.exhausted(frees, Exhaustion.COUNTED));
        }
        if (current.messagesInLastMinute(now) >= limits.messagesPerMinute()) {
            return new Route.Wait(current.recentMessages.get(current.recentMessages.size() - limits.messagesPerMinute()).plus(MINUTE)
                    .plus(PACE_MARGIN));
        }
        return new Route.ThroughMailbox(current.counting(recipients, now));
    }

    /** Exchange said the quota is spent: exhausted until it says the window frees (or for a whole window). */
    SendingQuota reportedExhausted(Duration retryAfter, Instant now) {
        Instant until = now.plus(retryAfter != null ? retryAfter : WINDOW);
        return withoutExpired(now).exhausted(isExhaustedAt(now) && exhaustedUntil.isAfter(until) ? exhaustedUntil : until,
                Exhaustion.REPORTED);
    }

    /**
     * Undoes what {@link #route} counted for a mail of {@code recipients} at {@code at}, whatever was counted since:
     * the attempt that counted it did not get to send it.
     */
    SendingQuota givenBack(int recipients, Instant at) {
        long minute = at.getEpochSecond() / 60;
        List<MinuteCount> minutes = recipientsByMinute.stream()
                .map(m -> m.minute() == minute ? new MinuteCount(minute, m.recipients() - recipients) : m)
                .filter(m -> m.recipients() > 0).toList();
        List<Instant> messages = new ArrayList<>(recentMessages);
        messages.remove(at);
        return new SendingQuota(mailboxId, minutes, messages, exhaustedUntil, exhaustedBy);
    }

    /** When {@code excess} recipients will have left the window. */
    private Instant enoughFreeAt(int excess, Instant now) {
        int freed = 0;
        for (MinuteCount minute : recipientsByMinute) {
            freed += minute.recipients();
            if (freed >= excess) {
                return minute.leavesWindowAt();
            }
        }
        return now.plus(WINDOW);
    }

    private SendingQuota counting(int recipients, Instant now) {
        long minute = now.getEpochSecond() / 60;
        List<MinuteCount> minutes = new ArrayList<>(recipientsByMinute);
        MinuteCount last = minutes.isEmpty() ? null : minutes.get(minutes.size() - 1);
        if (last != null && last.minute() == minute) {
            minutes.set(minutes.size() - 1, new MinuteCount(minute, last.recipients() + recipients));
        } else {
            minutes.add(new MinuteCount(minute, recipients));
        }
        List<Instant> messages = new ArrayList<>(recentMessages);
        messages.add(now);
        return new SendingQuota(mailboxId, minutes, messages, exhaustedUntil, exhaustedBy);
    }

    private SendingQuota exhausted(Instant until, Exhaustion by) {
        return new SendingQuota(mailboxId, recipientsByMinute, recentMessages, until, by);
    }

    /** Drops what no longer counts, so the entity stays small (at most 1,441 minutes and one minute's messages). */
    private SendingQuota withoutExpired(Instant now) {
        return new SendingQuota(mailboxId,
                recipientsByMinute.stream().filter(m -> m.leavesWindowAt().isAfter(now)).toList(),
                recentMessages.stream().filter(at -> at.plus(MINUTE).isAfter(now)).sorted().toList(),
                isExhaustedAt(now) ? exhaustedUntil : null, isExhaustedAt(now) ? exhaustedBy : null);
    }
}
