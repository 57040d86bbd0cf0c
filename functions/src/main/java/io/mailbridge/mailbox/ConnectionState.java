package io.mailbridge.mailbox;

/** Where a mailbox connection stands; stored, and shown to the CRM through the mailbox API. */
public enum ConnectionState {
    /** Tokens work and mail syncs. */
    ACTIVE,
    /** Microsoft refused the refresh token (invalid_grant): the user must connect again; syncing stops. */
    NEEDS_REAUTH,
    /** A permanent problem the user cannot fix by reconnecting, e.g. the mailbox has no Exchange Online licence. */
    FAILED,
    /** The CRM disconnected the mailbox: tokens wiped, subscriptions deleted, record kept for audit. */
    DISCONNECTED
}
