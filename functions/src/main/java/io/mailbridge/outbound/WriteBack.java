package io.mailbridge.outbound;

/**
 * Whether a sent mail still has to be copied into the mailbox's Sent Items. Mail of a FULL mailbox
 * that left through the custom SMTP relay is PENDING: the Sent-folder reconciliation
 * ({@code io.mailbridge.sentsync}) writes it back from the payload kept for it and records that it did.
 */
public enum WriteBack {
    /** Nothing to copy: the mail left through the mailbox (which keeps its own copy), or the mailbox is RESTRICTED. */
    NONE,
    /** To be copied into Sent Items. */
    PENDING,
    /** A write-back began and did not record its end: a copy may be in the mailbox, so the next one looks before writing. */
    WRITING,
    /** The copy is in Sent Items; the payload is no longer needed. */
    DONE,
    /** The copy cannot be written: Microsoft refused it for good, or its content is gone; the reconciliation's status names why. */
    FAILED,
    /** Never to be written: the mailbox was disconnected or is RESTRICTED now; the content was deleted rather than kept for nothing. */
    ABANDONED;

    /** Whether the reconciliation still has work to do for the mail. */
    public boolean isOpen() {
        return this == PENDING || this == WRITING;
    }
}
