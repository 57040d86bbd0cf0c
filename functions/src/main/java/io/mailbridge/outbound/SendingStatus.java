package io.mailbridge.outbound;

import io.mailbridge.mailbox.Profile;
import java.time.Instant;

/**
 * How a connection's mailbox sends right now: the transport its next mail takes, the mailbox's use of the
 * rolling 24-hour quota and of the minute's pace, and, while it falls back to the relay, until when and why.
 *
 * @param quotaScope whose use the figures are: always {@value #MAILBOX_SCOPE}, the Microsoft mailbox's, shared by
 *     every connection of {@code mailboxAddress} in any CRM account (Exchange counts per mailbox), not this connection's alone
 */
public record SendingStatus(
        String accountId,
        String userId,
        String mailboxAddress,
        Profile profile,
        Transport transport,
        String quotaScope,
        int recipientsInWindow,
        int recipientsPerDay,
        int messagesInLastMinute,
        int messagesPerMinute,
        Instant fallbackUntil,
        SendingQuota.Exhaustion fallbackBecause) {

    static final String MAILBOX_SCOPE = "MAILBOX";
}
