package io.mailbridge.mailbox;

/** What reaches the CRM automatically (see the design brief's table). */
public enum SyncMode {
    /** Incoming and outgoing mail sync between the mailbox and the CRM. */
    TWO_WAY,
    /** Nothing syncs automatically; the user BCCs or forwards chosen mail to the account's BCC address. */
    ONE_WAY
}
