package io.mailbridge.bcc;

import io.mailbridge.inbound.MailDelivery;

/** What became of one mail the gateway posted for a BCC address. */
public sealed interface BccOutcome {

    /** Read, routed and handed to {@link MailDelivery}, which delivered it, had delivered it before, or found no prospect in it. */
    record Accepted(MailDelivery.Outcome delivery) implements BccOutcome {}

    /** The gateway secret was missing or wrong; nothing else was looked at. */
    record Unauthenticated() implements BccOutcome {}

    /** The request is not a mail: another media type than message/rfc822. */
    record NotRfc822() implements BccOutcome {}

    /** The mail has more bytes than the configured limit. */
    record TooLarge(long maxBytes) implements BccOutcome {}

    /** No envelope recipient was sent, and the mail has no Delivered-To or X-Original-To header to fall back on. */
    record NoRecipient() implements BccOutcome {}

    /** No connection of this stamp currently has the recipient as its BCC address. */
    record UnknownAddress() implements BccOutcome {}

    /** The mail is empty or cannot be read; {@code problem} says what and where, without quoting the mail. */
    record Malformed(String problem) implements BccOutcome {}

    /** Another request is delivering the same mail right now and has not finished; the gateway should post it again later. */
    record TryLater(java.time.Duration after) implements BccOutcome {}
}
