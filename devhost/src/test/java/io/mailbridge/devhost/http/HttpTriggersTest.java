package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.StartupProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpTriggersTest {
    @TempDir
    Path dir;

    @Test
    void pathsLiveBelowTheDefaultPrefix() {
        HttpTriggers triggers = HttpTriggers.prepare(List.of(), HostJson.defaults(), new StartupProblems());

        assertEquals(Optional.of(List.of("a", "b c")), triggers.pathBelowPrefix("/api/a/b%20c"));
        assertEquals(Optional.of(List.of()), triggers.pathBelowPrefix("/API/"));
        assertEquals(Optional.empty(), triggers.pathBelowPrefix("/apis/a"));
        assertEquals(Optional.empty(), triggers.pathBelowPrefix("/"));
    }

    @Test
    void hostJsonSetsAnotherPrefixOrNone() throws IOException {
        assertEquals(Optional.of(List.of("a")), prefixed("\"/v1/\"").pathBelowPrefix("/v1/a"));
        assertEquals(Optional.empty(), prefixed("\"/v1/\"").pathBelowPrefix("/api/a"));
        assertEquals(Optional.of(List.of("api", "a")), prefixed("\"\"").pathBelowPrefix("/api/a"));
    }

    private HttpTriggers prefixed(String prefix) throws IOException {
        Path file = dir.resolve("host.json");
        Files.writeString(file, "{\"extensions\":{\"http\":{\"routePrefix\":" + prefix + "}}}");
        return HttpTriggers.prepare(List.of(), HostJson.read(file), new StartupProblems());
    }
}
