package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.fixtures.TimerFunctions;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class TimerTriggerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String hostId = UniqueNames.next("host");
    private final Invocations<String> timers = new Invocations<>();
    private Azurite azurite;
    private BlobClient newYearStatus;

    @BeforeEach
    void connect(Azurite azurite) {
        this.azurite = azurite;
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
                .getBlobContainerClient("azure-webjobs-hosts");
        container.createIfNotExists();
        newYearStatus = container.getBlobClient("timers/" + hostId + "/Host.Functions.newYear/status");
    }

    @Test
    void firesOnASecondsScheduleFromASetting() throws Exception {
        try (DevHost host = DevHost.builder()
                .functionClasses(List.of(TimerFunctions.Ticks.class))
                .injector(new FixtureInjector().with(TimerFunctions.Ticks.class, () -> new TimerFunctions.Ticks(timers)))
                .settings(Map.of("TICK_SCHEDULE", "*/1 * * * * *"))
                .start()) {
            timers.awaitAtLeast(2, WAIT);
        }

        for (String timer : timers.all()) {
            JsonNode json = JSON.readTree(timer);
            assertFalse(json.get("IsPastDue").asBoolean(), timer);
            assertTrue(json.get("Schedule").get("AdjustForDST").asBoolean(), timer);
            assertTrue(json.get("ScheduleStatus").isNull(), "the host does not monitor sub-minute schedules: " + timer);
        }
    }

    @Test
    void aMissedOccurrenceRunsOnceAtStartAsPastDue() throws Exception {
        newYearStatus.upload(BinaryData.fromString(
                "{\"Last\":\"2020-01-01T00:00:00+00:00\",\"Next\":\"2021-01-01T00:00:00+00:00\",\"LastUpdated\":\"2020-01-01T00:00:00+00:00\"}"), true);

        try (DevHost host = startNewYear()) {
            timers.awaitAtLeast(1, WAIT);
            Polling.await("the status updated after the run", WAIT).until(() -> !status().get("Last").asText().startsWith("2020"));
        }

        List<String> runs = timers.all();
        assertEquals(1, runs.size(), runs.toString());
        JsonNode json = JSON.readTree(runs.get(0));
        assertTrue(json.get("IsPastDue").asBoolean(), runs.get(0));
        assertEquals("2020-01-01T00:00:00+00:00", json.get("ScheduleStatus").get("Last").asText());
        assertEquals("2021-01-01T00:00:00+00:00", json.get("ScheduleStatus").get("Next").asText(), "the occurrence it missed");
        assertEquals(nextNewYear(), OffsetDateTime.parse(status().get("Next").asText()));
    }

    @Test
    void aFirstStartRecordsTheNextOccurrenceAndRunsNothing() throws Exception {
        try (DevHost host = startNewYear()) {
            JsonNode status = status();
            assertEquals("0001-01-01T00:00:00+00:00", status.get("Last").asText());
            assertEquals(nextNewYear(), OffsetDateTime.parse(status.get("Next").asText()));
        }
        assertEquals(List.of(), timers.all());
    }

    @Test
    void aChangedScheduleStartsAfreshInsteadOfRunningPastDue() throws Exception {
        newYearStatus.upload(BinaryData.fromString(
                "{\"Last\":\"2020-01-01T00:00:00+00:00\",\"Next\":\"2020-06-01T00:00:00+00:00\",\"LastUpdated\":\"2020-01-01T00:00:00+00:00\"}"), true);

        try (DevHost host = startNewYear()) {
            JsonNode status = status();
            assertEquals("0001-01-01T00:00:00+00:00", status.get("Last").asText());
            assertEquals(nextNewYear(), OffsetDateTime.parse(status.get("Next").asText()));
        }
        assertEquals(List.of(), timers.all());
    }

    private DevHost startNewYear() {
        return DevHost.builder()
                .functionClasses(List.of(TimerFunctions.NewYear.class))
                .injector(new FixtureInjector().with(TimerFunctions.NewYear.class, () -> new TimerFunctions.NewYear(timers)))
                .settings(Map.of("AzureWebJobsStorage", azurite.connectionString(), "AzureFunctionsWebHost__hostid", hostId))
                .start();
    }

    private JsonNode status() {
        try {
            return JSON.readTree(newYearStatus.downloadContent().toBytes());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static OffsetDateTime nextNewYear() {
        return OffsetDateTime.of(OffsetDateTime.now(ZoneOffset.UTC).getYear() + 1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    }
}
