package io.mailbridge.sandbox;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link Sandbox}: {@code @ExtendWith(SandboxExtension.class)} and take a
 * {@code Sandbox} parameter (constructor, lifecycle or test method). Each test class gets its own
 * sandbox, since tests change its state (faults, quotas, time); it closes when the class is done.
 */
public final class SandboxExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("sandbox", key -> new RunningSandbox(Sandbox.start(SandboxConfig.defaults())), RunningSandbox.class)
                .sandbox();
    }

    /** Closed by JUnit when the test class's context ends. */
    private record RunningSandbox(Sandbox sandbox) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            sandbox.close();
        }
    }
}
