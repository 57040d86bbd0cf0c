package io.mailbridge.mailbox;

/** Another user of the same CRM account has already connected this mailbox. */
public final class MailboxTakenException extends RuntimeException {
    public MailboxTakenException(String mailboxAddress) {
        super("The mailbox " + MailboxConnection.logName(mailboxAddress) + " is already connected by another user of this CRM account");
    }
}
