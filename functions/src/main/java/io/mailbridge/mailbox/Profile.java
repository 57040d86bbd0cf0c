package io.mailbridge.mailbox;

/** How much of the mailbox the product may use; chosen per CRM account by support. */
public enum Profile {
    /** Sends through the mailbox until its daily quota is spent, syncs Sent Items both ways, fetches aliases. */
    FULL,
    /** Read-only mailbox access: sends by custom SMTP, Sent Items sync mailbox to CRM only; US stamp only. */
    RESTRICTED
}
