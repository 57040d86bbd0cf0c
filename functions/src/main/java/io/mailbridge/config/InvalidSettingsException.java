package io.mailbridge.config;

import java.util.List;

/** The app cannot start: names each setting that is missing or malformed and what it expects. */
public final class InvalidSettingsException extends RuntimeException {
    private final List<String> problems;

    InvalidSettingsException(List<String> problems) {
        super("Invalid app settings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
