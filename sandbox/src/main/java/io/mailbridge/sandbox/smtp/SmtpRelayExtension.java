package io.mailbridge.sandbox.smtp;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link SmtpRelay} with the default settings: {@code @ExtendWith(SmtpRelayExtension.class)}
 * and take an {@code SmtpRelay} parameter. A relay first asked for in a test method serves that
 * method alone; one asked for in {@code @BeforeAll} or a constructor serves the whole class. JUnit
 * closes it when that scope ends.
 */
public final class SmtpRelayExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SmtpRelayExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SmtpRelay.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(SmtpRelay.class, key -> SmtpRelay.start(), SmtpRelay.class);
    }
}
