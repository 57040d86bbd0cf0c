package io.mailbridge.sandbox.exchange;

/** What asking Exchange to send came to. Sent means accepted: {@code submitted} is the message as it waits in Outbox. */
public sealed interface SendOutcome {

    record Sent(String internetMessageId, MailMessage submitted) implements SendOutcome {
    }

    /** A draft without a recipient cannot be sent. */
    record NoRecipients() implements SendOutcome {
    }

    record Refused(QuotaDecision reason) implements SendOutcome {
    }

    /** The sender may not send as the From address (it is not one of the mailbox's addresses). */
    record SendAsDenied(String address) implements SendOutcome {
    }

    record DraftNotFound() implements SendOutcome {
    }
}
