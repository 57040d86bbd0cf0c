package io.mailbridge.devhost.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that stops the host from starting, collected across all functions so that one failure
 * names every problem. Messages name functions, parameters and settings, never setting values.
 */
public final class StartupProblems {
    private final List<String> problems = new ArrayList<>();

    public void add(String problem) {
        problems.add(problem);
    }

    public void add(String functionName, String problem) {
        problems.add("Function '" + functionName + "': " + problem);
    }

    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new HostStartupException(problems);
        }
    }
}
