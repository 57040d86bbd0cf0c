package io.mailbridge.devhost.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.fixtures.TimerFunctions;
import io.mailbridge.devhost.runtime.AppSettings;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionIndex;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.Json;
import io.mailbridge.devhost.runtime.StartupProblems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimerTriggerListenerTest {

    @Test
    void runOnStartupRunsOnceAtStartThenKeepsTheSchedule() throws Exception {
        Invocations<String> timers = new Invocations<>();
        FunctionDefinition newYear = FunctionIndex.index(List.of(TimerFunctions.NewYear.class), AppSettings.of(Map.of()), new StartupProblems()).get(0);
        FunctionInvoker invoker = new FunctionInvoker(
                new FixtureInjector().with(TimerFunctions.NewYear.class, () -> new TimerFunctions.NewYear(timers)), List.of());

        TimerTriggerListener listener = new TimerTriggerListener(newYear, TimerSchedule.parse("0 0 0 1 1 *"), true, Optional.empty(), invoker);
        listener.start();
        timers.awaitAtLeast(1, Duration.ofSeconds(20));
        listener.close();

        assertEquals(1, timers.all().size());
        JsonNode json = Json.MAPPER.readTree(timers.all().get(0));
        assertFalse(json.get("IsPastDue").asBoolean());
        assertTrue(json.get("ScheduleStatus").isNull(), "not monitored");
    }

    @Test
    void theTimerNameIsTheHostsGeneratedMethod() {
        assertEquals("timers/h1/Host.Functions.newYear/status", ScheduleMonitor.blobName("h1", TimerTriggerListener.timerName("newYear")));
    }
}
