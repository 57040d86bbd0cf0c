package io.mailbridge.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from the environment map, collecting every problem so one start-up failure names
 * them all. Messages name the setting and what it expects, never the value: values can be secrets.
 * Readers return null after recording a problem, so reading can go on to find the next one.
 */
final class SettingsReader {
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    SettingsReader(Map<String, String> environment) {
        this.environment = environment;
    }

    Optional<String> optional(AppSetting setting) {
        String value = environment.get(setting.key());
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // App Service hands over a Key Vault reference it could not resolve as its literal text,
        // which would otherwise pass as a (long, secret-looking) value.
        if (value.trim().startsWith("@Microsoft.KeyVault(")) {
            problem(setting.key() + " is an unresolved Key Vault reference: expected the secret's value"
                    + " (check that the secret exists and the app's identity may read it)");
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    String required(AppSetting setting, String expected) {
        String raw = environment.get(setting.key());
        return optional(setting).orElseGet(() -> {
            if (raw == null || raw.isBlank()) {
                problem(setting.key() + " is missing: expected " + expected);
            }
            return null;
        });
    }

    /** A present value that {@code parse} refuses (by throwing IllegalArgumentException) is malformed. */
    <T> T required(AppSetting setting, String expected, Function<String, T> parse) {
        String value = required(setting, expected);
        return value == null ? null : parse(setting, expected, value, parse);
    }

    <T> Optional<T> optional(AppSetting setting, String expected, Function<String, T> parse) {
        return optional(setting).map(value -> parse(setting, expected, value, parse));
    }

    private <T> T parse(AppSetting setting, String expected, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            problem(setting.key() + " is malformed: expected " + expected);
            return null;
        }
    }

    <E extends Enum<E>> E requiredEnum(AppSetting setting, Class<E> type) {
        return required(setting, "one of " + List.of(type.getEnumConstants()),
                value -> Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
    }

    boolean requiredBoolean(AppSetting setting) {
        Boolean value = required(setting, "true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        });
        return Boolean.TRUE.equals(value);
    }

    URI requiredHttpUri(AppSetting setting) {
        return required(setting, "an absolute http(s) URI", SettingsReader::httpUri);
    }

    Optional<URI> optionalHttpUri(AppSetting setting) {
        return optional(setting, "an absolute http(s) URI", SettingsReader::httpUri);
    }

    static URI httpUri(String value) {
        URI uri = URI.create(value);
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("not an absolute http(s) URI");
        }
        return uri;
    }

    void problem(String description) {
        problems.add(description);
    }

    void failIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
