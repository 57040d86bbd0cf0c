package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.invalid.InvalidFunctions;
import io.mailbridge.devhost.runtime.HostStartupException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The host refuses, before it listens or polls anything, every function it cannot serve faithfully. */
class DevHostStartupTest {
    /** A connection string only: storage is never reached, because start-up fails first. */
    private static final Map<String, String> SETTINGS = Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true");

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(InvalidFunctions.ReadsABlob.class, List.of("'readsBlob'", "parameter 'blob'", "@BlobInput")),
                Arguments.of(InvalidFunctions.ReturnsToAQueue.class, List.of("'returnsToQueue'", "@QueueOutput on method run")),
                Arguments.of(InvalidFunctions.UnresolvedQueueSetting.class, List.of("'unresolvedQueue'", "%NO_SUCH_QUEUE_SETTING%")),
                Arguments.of(InvalidFunctions.UnknownRouteConstraint.class, List.of("'unknownConstraint'", "things/{id:colour}", "'colour'")),
                Arguments.of(InvalidFunctions.BindingNameOutsideTheRoute.class, List.of("'strayBindingName'", "thingId", "things/{id}")),
                Arguments.of(InvalidFunctions.UnreadableSchedule.class, List.of("'badSchedule'", "'every night'")),
                Arguments.of(InvalidFunctions.OutOfRangeSchedule.class, List.of("'outOfRange'", "61", "minute")),
                Arguments.of(InvalidFunctions.IntegerBody.class, List.of("'integerBody'", "parameter 'request'", "HttpRequestMessage<java.lang.Integer>")),
                Arguments.of(InvalidFunctions.ReturnsText.class, List.of("'returnsText'", "returns String")),
                Arguments.of(InvalidFunctions.TwoFunctionsOneName.class, List.of("'Twin'", "declared twice")),
                Arguments.of(InvalidFunctions.NoTrigger.class, List.of("'noTrigger'", "has no trigger")),
                Arguments.of(InvalidFunctions.BadQueueName.class, List.of("'badQueueName'", "'Bad_Queue'")),
                Arguments.of(InvalidFunctions.QueueWithoutStorage.class, List.of("'queueWithoutStorage'", "OtherStorage", "AzureWebJobsOtherStorage")),
                Arguments.of(InvalidFunctions.UnknownQueueBindingData.class, List.of("'unknownQueueData'", "DeliveryCount", "DequeueCount")),
                Arguments.of(InvalidFunctions.QueueMessageAsObject.class, List.of("'queueObject'", "parameter 'message'", "Object")),
                Arguments.of(InvalidFunctions.CollidingRoutes.class, List.of("'getItem'", "'deleteItem'", "DELETE")));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesToStartNamingTheFunctionAndWhatIsWrong(Class<?> functionClass, List<String> expected) {
        HostStartupException error = assertThrows(HostStartupException.class, () -> start(List.of(functionClass), SETTINGS));

        for (String fragment : expected) {
            assertTrue(error.getMessage().contains(fragment), "'" + fragment + "' missing from: " + error.getMessage());
        }
    }

    @Test
    void namesEveryProblemAtOnce() {
        HostStartupException error = assertThrows(HostStartupException.class, () -> start(
                List.of(InvalidFunctions.ReadsABlob.class, InvalidFunctions.UnreadableSchedule.class, InvalidFunctions.BadQueueName.class),
                SETTINGS));

        assertEquals(3, error.problems().size(), error.getMessage());
    }

    @Test
    void neverPrintsSettingValues() {
        Map<String, String> secretStorage = Map.of("AzureWebJobsStorage", "AccountKey=very-secret-key");
        HostStartupException error = assertThrows(HostStartupException.class, () -> start(
                List.of(InvalidFunctions.UnresolvedQueueSetting.class, InvalidFunctions.QueueWithoutStorage.class), secretStorage));

        assertFalse(error.getMessage().contains("very-secret-key"), error.getMessage());
    }

    private static void start(List<Class<?>> classes, Map<String, String> settings) {
        DevHost.builder().functionClasses(classes).injector(new FixtureInjector()).settings(settings).start().close();
    }
}
