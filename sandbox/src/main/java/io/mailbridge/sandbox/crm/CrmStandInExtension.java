package io.mailbridge.sandbox.crm;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link CrmStandIn} with the default settings: {@code @ExtendWith(CrmStandInExtension.class)}
 * and take a {@code CrmStandIn} parameter. One first asked for in a test method serves that method
 * alone; one asked for in {@code @BeforeAll} or a constructor serves the whole class. JUnit closes it
 * when that scope ends.
 */
public final class CrmStandInExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrmStandInExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CrmStandIn.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(CrmStandIn.class, key -> CrmStandIn.start(), CrmStandIn.class);
    }
}
