package io.mailbridge.devhost.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.StartupProblems;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * host.json {@code extensions.http}'s request limits (Microsoft Learn, "Azure Functions HTTP triggers and bindings
 * overview", host.json settings): {@code maxConcurrentRequests}, the HTTP functions run in parallel, and
 * {@code maxOutstandingRequests}, the requests held at once, running or waiting for a turn; one over it is answered
 * 429. Each is -1 (unbounded) when absent, the host's default in a dedicated plan; a serverless plan's host defaults
 * to 100 and 200, so the app's host.json states those to make the local host behave as the deployed one.
 */
public record HttpOptions(int maxConcurrentRequests, int maxOutstandingRequests) {
    public static final int UNBOUNDED = -1;
    /** The listen backlog when nothing bounds outstanding requests (the JDK's own default is 50). */
    private static final int UNBOUNDED_BACKLOG = 200;

    public static HttpOptions from(HostJson hostJson, StartupProblems problems) {
        Optional<JsonNode> section = hostJson.extension("http");
        return new HttpOptions(limit(section, "maxConcurrentRequests", problems), limit(section, "maxOutstandingRequests", problems));
    }

    /** The most requests served at once; empty when unbounded. */
    OptionalInt concurrencyLimit() {
        return maxConcurrentRequests == UNBOUNDED ? OptionalInt.empty() : OptionalInt.of(maxConcurrentRequests);
    }

    /** The most requests held at once, running or waiting; empty when unbounded. */
    OptionalInt outstandingLimit() {
        return maxOutstandingRequests == UNBOUNDED ? OptionalInt.empty() : OptionalInt.of(maxOutstandingRequests);
    }

    /**
     * Connections the kernel holds before the server accepts them: at least as many as may be outstanding, so a burst
     * at the limit is answered (served, queued or 429) rather than dropped at connect.
     */
    int listenBacklog() {
        return Math.max(UNBOUNDED_BACKLOG, maxOutstandingRequests);
    }

    private static int limit(Optional<JsonNode> section, String name, StartupProblems problems) {
        Optional<JsonNode> node = section.flatMap(s -> HostJson.field(s, name));
        if (node.isEmpty()) {
            return UNBOUNDED;
        }
        OptionalInt value = HostJson.wholeNumber(node.get());
        if (value.isEmpty() || value.getAsInt() == 0 || value.getAsInt() < UNBOUNDED) {
            problems.add("host.json extensions.http." + name + " must be a whole number from 1 up, or -1 for unbounded");
            return UNBOUNDED;
        }
        return value.getAsInt();
    }
}
