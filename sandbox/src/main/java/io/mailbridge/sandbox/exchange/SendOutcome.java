package io.mailbridge.sandbox.exchange;

/** What asking Exchange to send came to. sentCopy is null when the client chose saveToSentItems=false. */
public sealed interface SendOutcome {

    record Sent(String internetMessageId, MailMessage sentCopy) implements SendOutcome {
    }

    record Refused(QuotaDecision reason) implements SendOutcome {
    }

    /** The sender may not send as the From address (it is not one of the mailbox's addresses). */
    record SendAsDenied(String address) implements SendOutcome {
    }

    record DraftNotFound() implements SendOutcome {
    }
}
