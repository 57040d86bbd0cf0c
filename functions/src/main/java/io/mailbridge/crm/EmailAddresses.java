package io.mailbridge.crm;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one way the product compares mail addresses: trimmed and case-insensitive. */
public final class EmailAddresses {
    /** Deliberately loose (RFC 5322 allows much); it only refuses what cannot be an address. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\",;]{1,64}@[^\\s@<>\",;]+\\.[^\\s@<>\",;]+");
    private static final int MAX_LENGTH = 254;

    private EmailAddresses() {}

    /**
     * The address without a plus tag ({@code jane+crm@acme.com} is {@code jane@acme.com}), as mail
     * systems deliver both to the same person; empty when there is no tag.
     */
    public static Optional<String> withoutPlusTag(String normalized) {
        int at = normalized.lastIndexOf('@');
        int plus = normalized.indexOf('+');
        if (plus <= 0 || plus > at) {
            return Optional.empty();
        }
        return Optional.of(normalized.substring(0, plus) + normalized.substring(at));
    }

    /** The normal form of an address, or empty when the text cannot be one. */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.length() > MAX_LENGTH || !ADDRESS.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        return Optional.of(trimmed);
    }
}
