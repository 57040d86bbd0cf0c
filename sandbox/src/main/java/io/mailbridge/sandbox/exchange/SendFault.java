package io.mailbridge.sandbox.exchange;

/**
 * A fault of Exchange's transport for the next send of a mailbox. {@link #NEVER_SENT}: Graph answered 202, the message
 * sits in Outbox and is never sent, which is how Outlook users meet the rare stuck submission (it stays in Outbox; no
 * Sent Items copy, no delivery, no non-delivery report).
 */
public enum SendFault {
    NEVER_SENT;

    public static SendFault parse(String type) {
        if ("never-sent".equals(type)) {
            return NEVER_SENT;
        }
        throw new IllegalArgumentException("Unknown send fault type '" + type + "'; the sandbox knows: never-sent");
    }
}
