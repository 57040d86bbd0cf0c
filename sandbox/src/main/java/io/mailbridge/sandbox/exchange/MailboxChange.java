package io.mailbridge.sandbox.exchange;

/** One change in one folder of a mailbox, as subscriptions see it. */
public record MailboxChange(String userId, WellKnownFolder folder, ChangeType type, MailMessage message) {
}
