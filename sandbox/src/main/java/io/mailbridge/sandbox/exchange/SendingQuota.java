package io.mailbridge.sandbox.exchange;

import io.mailbridge.sandbox.SandboxClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-mailbox rolling windows of recipients (24 h) and messages (1 min), checked and counted in one step. */
public final class SendingQuota {
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final SandboxClock clock;
    private volatile SendingLimits limits;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    public SendingQuota(SandboxClock clock, SendingLimits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    private record Sent(Instant at, int recipients) {
    }

    private static final class Usage {
        final Deque<Sent> day = new ArrayDeque<>();
        final Deque<Instant> minute = new ArrayDeque<>();
    }

    public SendingLimits limits() {
        return limits;
    }

    public void limits(SendingLimits newLimits) {
        this.limits = newLimits;
    }

    public QuotaDecision tryConsume(String userId, int recipients) {
        SendingLimits current = limits;
        if (recipients > current.recipientsPerMessage()) {
            return new QuotaDecision.TooManyRecipients(current.recipientsPerMessage(), recipients);
        }
        Instant now = clock.now();
        Usage used = usage.computeIfAbsent(userId, id -> new Usage());
        synchronized (used) {
            forgetBefore(used, now);
            if (used.minute.size() >= current.messagesPerMinute()) {
                return new QuotaDecision.MessageRateExceeded(current.messagesPerMinute(), untilFree(used.minute.peekFirst().plus(MINUTE), now));
            }
            int inWindow = used.day.stream().mapToInt(Sent::recipients).sum();
            if (inWindow + recipients > current.recipientsPerDay()) {
                return new QuotaDecision.RecipientQuotaExceeded(current.recipientsPerDay(), untilEnoughFrees(used, inWindow + recipients - current.recipientsPerDay(), now));
            }
            used.day.addLast(new Sent(now, recipients));
            used.minute.addLast(now);
            return new QuotaDecision.Accepted();
        }
    }

    /** Recipients counted in the user's current 24-hour window. */
    public int recipientsInWindow(String userId) {
        Usage used = usage.computeIfAbsent(userId, id -> new Usage());
        synchronized (used) {
            forgetBefore(used, clock.now());
            return used.day.stream().mapToInt(Sent::recipients).sum();
        }
    }

    /** Spends the rest of the user's 24-hour allowance now, as if they had sent it. */
    public void exhaust(String userId) {
        Usage used = usage.computeIfAbsent(userId, id -> new Usage());
        synchronized (used) {
            Instant now = clock.now();
            forgetBefore(used, now);
            int left = limits.recipientsPerDay() - used.day.stream().mapToInt(Sent::recipients).sum();
            if (left > 0) {
                used.day.addLast(new Sent(now, left));
            }
        }
    }

    private static void forgetBefore(Usage used, Instant now) {
        while (!used.day.isEmpty() && !used.day.peekFirst().at().plus(DAY).isAfter(now)) {
            used.day.removeFirst();
        }
        while (!used.minute.isEmpty() && !used.minute.peekFirst().plus(MINUTE).isAfter(now)) {
            used.minute.removeFirst();
        }
    }

    private static Duration untilEnoughFrees(Usage used, int excess, Instant now) {
        int freed = 0;
        for (Sent sent : used.day) {
            freed += sent.recipients();
            if (freed >= excess) {
                return untilFree(sent.at().plus(DAY), now);
            }
        }
        return DAY;
    }

    private static Duration untilFree(Instant freeAt, Instant now) {
        Duration wait = Duration.between(now, freeAt);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
