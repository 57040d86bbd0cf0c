package io.mailbridge.devhost.queue;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.HostStartupException;
import io.mailbridge.devhost.runtime.StartupProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueOptionsTest {
    @TempDir
    Path dir;

    @Test
    void takesTheHostsDefaults() {
        StartupProblems problems = new StartupProblems();

        QueueOptions options = QueueOptions.from(HostJson.defaults(), 4, problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new QueueOptions(16, 32, Duration.ofMinutes(1), Duration.ZERO, 5, MessageEncoding.BASE64), options);
    }

    @Test
    void appSettingsOverrideHostJsonAsTheHostLetsThem() throws IOException {
        HostJson hostJson = hostJson("{\"extensions\":{\"queues\":{\"maxPollingInterval\":\"00:01:00\",\"batchSize\":16}}}")
                .overriddenBy(java.util.Map.of("AzureFunctionsJobHost__extensions__queues__maxPollingInterval", "00:00:02",
                        "azurefunctionsjobhost__Extensions__Queues__BatchSize", "4", "MAILBRIDGE_OTHER", "x"));
        StartupProblems problems = new StartupProblems();

        QueueOptions options = QueueOptions.from(hostJson, 2, problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(Duration.ofSeconds(2), options.maxPollingInterval());
        assertEquals(4, options.batchSize());
    }

    @Test
    void readsHostJsonWithoutRegardToCase() throws IOException {
        HostJson hostJson = hostJson("{\"Extensions\":{\"Queues\":{\"BatchSize\":4,\"newBatchThreshold\":1,"
                + "\"maxPollingInterval\":\"00:00:02\",\"visibilityTimeout\":\"00:00:10\",\"maxDequeueCount\":3,\"messageEncoding\":\"None\"}}}");
        StartupProblems problems = new StartupProblems();

        QueueOptions options = QueueOptions.from(hostJson, 2, problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new QueueOptions(4, 1, Duration.ofSeconds(2), Duration.ofSeconds(10), 3, MessageEncoding.NONE), options);
    }

    @Test
    void newBatchThresholdFollowsBatchSize() throws IOException {
        assertEquals(4, QueueOptions.from(hostJson("{\"extensions\":{\"queues\":{\"batchSize\":8}}}"), 1, new StartupProblems()).newBatchThreshold());
    }

    @Test
    void refusesValuesTheHostRefuses() throws IOException {
        HostJson hostJson = hostJson("{\"extensions\":{\"queues\":{\"batchSize\":33,\"newBatchThreshold\":-1,"
                + "\"maxPollingInterval\":\"00:00:00.050\",\"visibilityTimeout\":2000,\"maxDequeueCount\":0,\"messageEncoding\":\"utf8\"}}}");
        StartupProblems problems = new StartupProblems();

        QueueOptions.from(hostJson, 1, problems);

        HostStartupException error = assertThrows(HostStartupException.class, problems::throwIfAny);
        assertEquals(6, error.problems().size(), error.getMessage());
    }

    @Test
    void decodesMessagesPerEncoding() {
        assertEquals("hé", new String(MessageEncoding.BASE64.decode("aMOp").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), MessageEncoding.BASE64.decode("not base64!"));
        assertEquals("not base64!", new String(MessageEncoding.NONE.decode("not base64!").orElseThrow(), StandardCharsets.UTF_8));
    }

    private HostJson hostJson(String json) throws IOException {
        Path file = dir.resolve("host.json");
        Files.writeString(file, json);
        return HostJson.read(file);
    }
}
