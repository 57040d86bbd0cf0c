package io.mailbridge.devhost.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app settings the host reads (local.settings.json's Values). Names are case-insensitive, as
 * in the Functions host's configuration. Values can be secrets, so nothing here prints them.
 */
public final class AppSettings {
    private static final Pattern EXPRESSION = Pattern.compile("%([^%]+)%");

    private final Map<String, String> values;

    private AppSettings(Map<String, String> values) {
        this.values = values;
    }

    public static AppSettings of(Map<String, String> values) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(values);
        return new AppSettings(copy);
    }

    /** A blank value counts as absent, as it does for the host. */
    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /**
     * Replaces every {@code %NAME%} with the setting NAME, as the host resolves binding expressions
     * such as a queue name or a schedule; tells {@code missing} each name that has no setting.
     */
    public String resolve(String expression, Consumer<String> missing) {
        Matcher matcher = EXPRESSION.matcher(expression);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            Optional<String> value = get(name);
            if (value.isEmpty()) {
                missing.accept(name);
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value.orElse("")));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
