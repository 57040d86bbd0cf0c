package io.mailbridge.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link Azurite}: {@code @ExtendWith(AzuriteExtension.class)} and take an
 * {@code Azurite} parameter. One process serves the whole test run (it starts in about a second
 * and tests isolate themselves by unique table and queue names); it stops when the run ends.
 */
public final class AzuriteExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // JUnit closes AutoCloseable values of the root store when the whole run ends.
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("azurite", key -> Azurite.start(), Azurite.class);
    }
}
