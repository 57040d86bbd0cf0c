package io.mailbridge.sandbox.exchange;

/** A singleValueLegacyExtendedProperty, e.g. id "Integer 0x0E07" (PR_MESSAGE_FLAGS) or "String {guid} Name X". */
public record ExtendedProperty(String id, String value) {
    public static final String PR_MESSAGE_FLAGS = "Integer 0x0E07";
    /** When the sender submitted the message: what Graph shows as sentDateTime. */
    public static final String PR_CLIENT_SUBMIT_TIME = "SystemTime 0x0039";
    /** When the message was delivered to the mailbox: what Graph shows as receivedDateTime. */
    public static final String PR_MESSAGE_DELIVERY_TIME = "SystemTime 0x0E06";
}
