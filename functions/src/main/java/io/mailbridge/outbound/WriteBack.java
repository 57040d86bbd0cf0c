package io.mailbridge.outbound;

/**
 * Whether a sent mail still has to be copied into the mailbox's Sent Items. Mail of a FULL mailbox
 * that left through the custom SMTP relay is PENDING: the Sent-folder reconciliation writes it back
 * (from the payload kept for it) and records that it did.
 */
public enum WriteBack {
    NONE,
    PENDING
}
