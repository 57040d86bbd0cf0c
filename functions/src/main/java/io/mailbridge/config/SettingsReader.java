package io.mailbridge.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads settings from the environment map, collecting every problem so one start-up failure names
 * them all. Messages name the setting and what it expects, never the value: values can be secrets.
 */
final class SettingsReader {
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    SettingsReader(Map<String, String> environment) {
        this.environment = environment;
    }

    Optional<String> optional(AppSetting setting) {
        String value = environment.get(setting.key());
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Returns null (after recording the problem) when missing, so reading can go on. */
    String required(AppSetting setting, String expected) {
        return optional(setting).orElseGet(() -> {
            problem(setting.key() + " is missing: expected " + expected);
            return null;
        });
    }

    <E extends Enum<E>> E requiredEnum(AppSetting setting, Class<E> type) {
        String expected = "one of " + List.of(type.getEnumConstants());
        String value = required(setting, expected);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(setting.key() + " is malformed: expected " + expected);
            return null;
        }
    }

    Optional<URI> optionalHttpUri(AppSetting setting) {
        return optional(setting).flatMap(value -> {
            try {
                URI uri = URI.create(value);
                if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                    return Optional.of(uri);
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problem(setting.key() + " is malformed: expected an absolute http(s) URI");
            return Optional.empty();
        });
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
