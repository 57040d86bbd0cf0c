package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Parameter;
import java.util.logging.Logger;

/**
 * The context of one invocation, as the Java worker gives it to middleware and to the function: a java.util.logging
 * logger named after the function, and the function's arguments (by parameter name), which middleware may read
 * and replace, and its return value.
 */
final class FunctionContext implements MiddlewareContext {
    private final String invocationId;
    private final FunctionDefinition function;
    private Object[] arguments = new Object[0];
    private Object returnValue;

    FunctionContext(String invocationId, FunctionDefinition function) {
        this.invocationId = invocationId;
        this.function = function;
    }

    void arguments(Object[] values) {
        this.arguments = values.clone();
    }

    Object[] arguments() {
        return arguments.clone();
    }

    @Override
    public Logger getLogger() {
        return Logger.getLogger("Function." + function.name());
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return function.name();
    }

    /** The name of the parameter carrying an annotation of this simple name (QueueTrigger, HttpTrigger...), as the worker answers. */
    @Override
    public String getParameterName(String annotationSimpleClassName) {
        for (Parameter parameter : function.method().getParameters()) {
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation.annotationType().getSimpleName().equals(annotationSimpleClassName)) {
                    return parameter.getName();
                }
            }
        }
        return null;
    }

    @Override
    public Object getParameterValue(String name) {
        int index = indexOf(name);
        return index < 0 ? null : arguments[index];
    }

    @Override
    public void updateParameterValue(String name, Object value) {
        int index = indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("Function " + function.name() + " has no parameter " + name);
        }
        arguments[index] = value;
    }

    @Override
    public Object getReturnValue() {
        return returnValue;
    }

    @Override
    public void updateReturnValue(Object value) {
        this.returnValue = value;
    }

    private int indexOf(String name) {
        Parameter[] parameters = function.method().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
