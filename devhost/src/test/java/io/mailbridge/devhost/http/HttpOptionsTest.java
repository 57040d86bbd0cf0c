package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.HostStartupException;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpOptionsTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheSettingsNothingIsBoundedAsInADedicatedPlan() throws IOException {
        StartupProblems problems = new StartupProblems();

        HttpOptions none = HttpOptions.from(HostJson.defaults(), problems);
        HttpOptions prefixOnly = HttpOptions.from(hostJson("{\"extensions\":{\"http\":{\"routePrefix\":\"api\"}}}"), problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new HttpOptions(-1, -1), none);
        assertEquals(none, prefixOnly);
        assertEquals(OptionalInt.empty(), none.concurrencyLimit());
        assertEquals(OptionalInt.empty(), none.outstandingLimit());
        assertEquals(200, none.listenBacklog());
    }

    @Test
    void minusOneMeansUnboundedAndKeysMatchWithoutRegardToCase() throws IOException {
        StartupProblems problems = new StartupProblems();

        HttpOptions options = HttpOptions.from(hostJson("{\"Extensions\":{\"HTTP\":{\"MaxConcurrentRequests\":-1,"
                + "\"maxoutstandingrequests\":500}}}"), problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new HttpOptions(-1, 500), options);
        assertEquals(OptionalInt.of(500), options.outstandingLimit());
        assertEquals(500, options.listenBacklog(), "a burst up to the limit is held, not dropped at connect");
    }

    @Test
    void theAppsHostJsonStatesTheServerlessDefaults() {
        StartupProblems problems = new StartupProblems();

        HttpOptions options = HttpOptions.from(HostJson.read(ProjectRoot.resolve("host.json")), problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new HttpOptions(100, 200), options);
        assertEquals(200, options.listenBacklog());
    }

    @Test
    void appSettingsOverrideHostJsonAsText() throws IOException {
        HostJson hostJson = hostJson("{\"extensions\":{\"http\":{\"maxConcurrentRequests\":100,\"maxOutstandingRequests\":200}}}")
                .overriddenBy(Map.of("AzureFunctionsJobHost__extensions__http__maxConcurrentRequests", "1",
                        "azurefunctionsjobhost__Extensions__Http__MaxOutstandingRequests", "-1"));
        StartupProblems problems = new StartupProblems();

        HttpOptions options = HttpOptions.from(hostJson, problems);

        assertDoesNotThrow(problems::throwIfAny);
        assertEquals(new HttpOptions(1, -1), options);
    }

    @Test
    void refusesWhatIsNeitherALimitNorMinusOne() throws IOException {
        for (String bad : new String[] {"0", "-2", "1.5", "\"many\"", "true", "{}", "12345678901"}) {
            StartupProblems problems = new StartupProblems();

            HttpOptions.from(hostJson("{\"extensions\":{\"http\":{\"maxConcurrentRequests\":" + bad + "}}}"), problems);

            HostStartupException error = assertThrows(HostStartupException.class, problems::throwIfAny, bad);
            assertEquals(1, error.problems().size(), error.getMessage());
            assertTrue(error.getMessage().contains(
                    "host.json extensions.http.maxConcurrentRequests must be a whole number from 1 up, or -1 for unbounded"), error.getMessage());
        }
        StartupProblems problems = new StartupProblems();
        HttpOptions.from(hostJson("{}").overriddenBy(Map.of("AzureFunctionsJobHost__extensions__http__maxOutstandingRequests", "200 requests")),
                problems);
        HostStartupException error = assertThrows(HostStartupException.class, problems::throwIfAny);
        assertTrue(error.getMessage().contains("extensions.http.maxOutstandingRequests must be"), error.getMessage());
    }

    private HostJson hostJson(String json) throws IOException {
        Path file = dir.resolve("host.json");
        Files.writeString(file, json);
        return HostJson.read(file);
    }
}
