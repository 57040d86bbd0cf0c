package io.mailbridge.outbound;

import io.mailbridge.mailbox.Profile;
import java.time.Instant;

/**
 * How a mailbox sends right now: the transport its next mail takes, its use of the rolling 24-hour
 * quota and of the minute's pace, and, while it falls back to the relay, until when and why.
 */
public record SendingStatus(
        String accountId,
        String userId,
        Profile profile,
        Transport transport,
        int recipientsInWindow,
        int recipientsPerDay,
        int messagesInLastMinute,
        int messagesPerMinute,
        Instant fallbackUntil,
        SendingQuota.Exhaustion fallbackBecause) {}
