package io.mailbridge.mailboxapi;

/** Routes of the mailbox API, shared by the functions that serve different methods on them. */
final class MailboxRoutes {
    static final String MAILBOX = "accounts/{accountId}/mailboxes/{userId}";

    private MailboxRoutes() {}
}
