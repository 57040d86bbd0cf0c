package io.mailbridge.devhost.runtime;

import java.util.List;

/** The host refused to start: lists every function, binding or setting it cannot serve faithfully. */
public final class HostStartupException extends RuntimeException {
    private final List<String> problems;

    HostStartupException(List<String> problems) {
        super("The local Functions host cannot start:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public HostStartupException(String problem, Throwable cause) {
        super("The local Functions host cannot start: " + problem, cause);
        this.problems = List.of(problem);
    }

    public List<String> problems() {
        return problems;
    }
}
