package io.mailbridge.devhost.runtime;

import java.lang.reflect.Method;
import java.util.List;

/**
 * One {@code @FunctionName} method as the host serves it: its trigger, and what each parameter
 * receives. {@code functionClass} is the class the injector is asked for.
 */
public record FunctionDefinition(
        String name, Class<?> functionClass, Method method, TriggerBinding trigger, List<ParameterBinding> parameters) {

    public FunctionDefinition {
        parameters = List.copyOf(parameters);
    }

    public List<ParameterBinding.BindingData> bindingData() {
        return parameters.stream()
                .filter(ParameterBinding.BindingData.class::isInstance)
                .map(ParameterBinding.BindingData.class::cast)
                .toList();
    }
}
