package io.mailbridge.devhost.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.App;
import io.mailbridge.devhost.fixtures.QueueFunctions;
import io.mailbridge.devhost.fixtures.invalid.InvalidFunctions;
import io.mailbridge.health.HealthFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionDiscoveryTest {

    @Test
    void findsClassesOfAPackageAndItsSubPackagesInADirectory() {
        List<Class<?>> classes = FunctionDiscovery.classesIn("io.mailbridge.devhost.fixtures", getClass().getClassLoader());

        assertTrue(classes.contains(QueueFunctions.FailsOnce.class), "nested classes");
        assertTrue(classes.contains(InvalidFunctions.ReadsABlob.class), "sub-packages");
        assertFalse(classes.contains(FunctionDiscoveryTest.class));
    }

    @Test
    void findsTheAppsFunctionsInItsJarWithoutInitialisingThem() {
        List<Class<?>> classes = FunctionDiscovery.classesIn("io.mailbridge", App.class.getClassLoader());

        assertTrue(classes.contains(HealthFunction.class), classes.toString());
        List<FunctionDefinition> functions = FunctionIndex.index(List.of(HealthFunction.class), AppSettings.of(Map.of()),
                new StartupProblems());
        assertEquals("health", functions.get(0).name());
        assertTrue(functions.get(0).trigger() instanceof TriggerBinding.Http);
    }

    @Test
    void besideAClassMeansOnlyItsOwnJarOrFolder() {
        List<Class<?>> appClasses = FunctionDiscovery.classesBeside(App.class);

        assertTrue(appClasses.contains(HealthFunction.class));
        assertTrue(appClasses.stream().allMatch(c -> c.getProtectionDomain().getCodeSource().getLocation()
                .equals(App.class.getProtectionDomain().getCodeSource().getLocation())));
        assertFalse(appClasses.contains(FunctionDiscovery.class), "the devhost shares the package root, not the jar");
    }

    @Test
    void anUnknownPackageHasNoClasses() {
        assertEquals(List.of(), FunctionDiscovery.classesIn("io.mailbridge.nothing.here", getClass().getClassLoader()));
    }
}
