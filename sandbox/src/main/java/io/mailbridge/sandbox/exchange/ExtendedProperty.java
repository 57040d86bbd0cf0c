package io.mailbridge.sandbox.exchange;

/** A singleValueLegacyExtendedProperty, e.g. id "Integer 0x0E07" (PR_MESSAGE_FLAGS) or "String {guid} Name X". */
public record ExtendedProperty(String id, String value) {
    public static final String PR_MESSAGE_FLAGS = "Integer 0x0E07";
}
