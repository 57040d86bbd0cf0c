package io.mailbridge.devhost.runtime;

/** What the host passes for one parameter of a function method. */
public sealed interface ParameterBinding {

    /** The trigger's value: the request, the queue message, the timer JSON. */
    record Trigger() implements ParameterBinding {}

    /** The invocation's {@code ExecutionContext}. */
    record Context() implements ParameterBinding {}

    /** A {@code @BindingName} value the trigger provides, such as a route parameter or DequeueCount. */
    record BindingData(String name, String parameterName, Class<?> type) implements ParameterBinding {}
}
