package io.mailbridge.devhost.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.devhost.runtime.TimeSpans;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * host.json {@code extensions.queues}, with the defaults of the host's storage queues extension
 * (Microsoft Learn, "host.json settings" for Azure Queue storage): batchSize 16 (at most 32),
 * newBatchThreshold N*batchSize/2 for N processors, maxPollingInterval 00:01:00 (at least 100 ms),
 * visibilityTimeout 00:00:00, maxDequeueCount 5, messageEncoding base64.
 */
public record QueueOptions(
        int batchSize,
        int newBatchThreshold,
        Duration maxPollingInterval,
        Duration visibilityTimeout,
        int maxDequeueCount,
        MessageEncoding messageEncoding) {

    static final Duration MIN_POLLING_INTERVAL = Duration.ofMillis(100);
    private static final int MAX_BATCH_SIZE = 32;

    public static QueueOptions from(HostJson hostJson, int processors, StartupProblems problems) {
        Optional<JsonNode> section = hostJson.extension("queues");
        int batchSize = integer(section, "batchSize", 16, 1, MAX_BATCH_SIZE, problems);
        int newBatchThreshold = integer(section, "newBatchThreshold", (batchSize / 2) * processors, 0, Integer.MAX_VALUE, problems);
        Duration maxPollingInterval = duration(section, "maxPollingInterval", Duration.ofMinutes(1), problems);
        if (maxPollingInterval.compareTo(MIN_POLLING_INTERVAL) < 0) {
            problems.add("host.json extensions.queues.maxPollingInterval must be at least 00:00:00.100");
        }
        Duration visibilityTimeout = duration(section, "visibilityTimeout", Duration.ZERO, problems);
        int maxDequeueCount = integer(section, "maxDequeueCount", 5, 1, Integer.MAX_VALUE, problems);
        MessageEncoding encoding = section.flatMap(s -> HostJson.field(s, "messageEncoding")).map(node -> {
            try {
                return MessageEncoding.valueOf(node.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("host.json extensions.queues.messageEncoding must be \"base64\" or \"none\"");
                return MessageEncoding.BASE64;
            }
        }).orElse(MessageEncoding.BASE64);
        return new QueueOptions(batchSize, newBatchThreshold, maxPollingInterval, visibilityTimeout, maxDequeueCount, encoding);
    }

    private static int integer(Optional<JsonNode> section, String name, int fallback, int min, int max, StartupProblems problems) {
        Optional<JsonNode> node = section.flatMap(s -> HostJson.field(s, name));
        if (node.isEmpty()) {
            return fallback;
        }
        OptionalInt value = HostJson.wholeNumber(node.get());
        if (value.isEmpty() || value.getAsInt() < min || value.getAsInt() > max) {
            problems.add("host.json extensions.queues." + name + " must be a whole number from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max));
            return fallback;
        }
        return value.getAsInt();
    }

    private static Duration duration(Optional<JsonNode> section, String name, Duration fallback, StartupProblems problems) {
        Optional<JsonNode> node = section.flatMap(s -> HostJson.field(s, name));
        if (node.isEmpty()) {
            return fallback;
        }
        Optional<Duration> parsed = node.get().isTextual() ? TimeSpans.parse(node.get().asText()) : Optional.empty();
        if (parsed.isEmpty()) {
            problems.add("host.json extensions.queues." + name + " must be a TimeSpan such as \"00:00:30\"");
        }
        return parsed.orElse(fallback);
    }
}
