package io.mailbridge;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.mailbridge.config.Settings;
import io.mailbridge.health.HealthCheck;
import io.mailbridge.health.HealthFunction;
import io.mailbridge.storage.StorageClients;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The composition root: builds every service once, by hand, and hands the functions host an
 * instance of each function class with the services it calls.
 */
public final class App implements FunctionInstanceInjector {
    private final Map<Class<?>, Supplier<?>> functions;

    public App(Settings settings) {
        StorageClients storage = StorageClients.connect(settings.storage());
        HealthCheck health = new HealthCheck(storage, settings.stamp().region());

        functions = Map.of(
                HealthFunction.class, () -> new HealthFunction(health));
    }

    public static App fromEnvironment() {
        return new App(Settings.fromEnvironment());
    }

    /** The function classes this app wires; the build checks it against the generated function.json files. */
    public Set<Class<?>> functionClasses() {
        return functions.keySet();
    }

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        Supplier<?> factory = functions.get(functionClass);
        if (factory == null) {
            throw new IllegalArgumentException("Function class " + functionClass.getName() + " is not wired in " + App.class.getName());
        }
        return functionClass.cast(factory.get());
    }
}
