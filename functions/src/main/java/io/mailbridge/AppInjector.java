package io.mailbridge;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;

/**
 * What the Azure Functions Java worker loads (META-INF/services) to create function instances.
 * The app is built from the environment on the first invocation and shared for the process's life.
 */
public final class AppInjector implements FunctionInstanceInjector {

    private static final class Shared {
        static final App APP = App.fromEnvironment();
    }

    @Override
    public <T> T getInstance(Class<T> functionClass) {
        return shared().getInstance(functionClass);
    }

    static App shared() {
        return Shared.APP;
    }
}
