package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs functions the way the Java worker does: a new instance from the injector for every
 * invocation (static methods need none), arguments bound from the trigger input, and the host's
 * "Executing"/"Executed" log lines around it.
 */
public final class FunctionInvoker {
    private static final Logger LOG = Logger.getLogger(FunctionInvoker.class.getName());

    private final FunctionInstanceInjector injector;

    public FunctionInvoker(FunctionInstanceInjector injector) {
        this.injector = injector;
    }

    /** Never throws for the function's own failure: the result carries it, already logged. */
    public InvocationResult invoke(FunctionDefinition function, TriggerInput input) {
        String invocationId = UUID.randomUUID().toString();
        LOG.info(() -> "Executing 'Functions." + function.name() + "' (Reason='" + input.reason() + "', Id=" + invocationId + ")");
        long started = System.nanoTime();
        try {
            Object target = Modifier.isStatic(function.method().getModifiers())
                    ? null
                    : injector.getInstance(function.functionClass());
            Object returned = function.method().invoke(target, arguments(function, input, invocationId));
            LOG.info(() -> executed(function, invocationId, "Succeeded", started));
            return new InvocationResult(invocationId, returned, null);
        } catch (InvocationTargetException e) {
            return failed(function, invocationId, started, e.getCause());
        } catch (Exception e) {
            return failed(function, invocationId, started, e);
        }
    }

    private static InvocationResult failed(FunctionDefinition function, String invocationId, long started, Throwable failure) {
        LOG.log(Level.SEVERE, executed(function, invocationId, "Failed", started), failure);
        return new InvocationResult(invocationId, null, failure);
    }

    private static String executed(FunctionDefinition function, String invocationId, String outcome, long started) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return "Executed 'Functions." + function.name() + "' (" + outcome + ", Id=" + invocationId + ", Duration=" + millis + "ms)";
    }

    private static Object[] arguments(FunctionDefinition function, TriggerInput input, String invocationId) {
        List<ParameterBinding> parameters = function.parameters();
        Object[] arguments = new Object[parameters.size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = switch (parameters.get(i)) {
                case ParameterBinding.Trigger trigger -> input.triggerValue();
                case ParameterBinding.Context context -> new FunctionContext(invocationId, function.name());
                case ParameterBinding.BindingData data -> convert(input.bindingValue(data.name()), data);
            };
        }
        return arguments;
    }

    /** Converts binding data to the parameter's type, as the worker converts the host's values. */
    private static Object convert(Object value, ParameterBinding.BindingData data) {
        Class<?> type = data.type();
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("Binding data '" + data.name() + "' has no value for the "
                        + type + " parameter '" + data.parameterName() + "'");
            }
            return null;
        }
        if (type == String.class) {
            return value instanceof OffsetDateTime time ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time) : value.toString();
        }
        if (type == int.class || type == Integer.class) {
            return value instanceof Number number ? Math.toIntExact(number.longValue()) : Integer.valueOf(value.toString());
        }
        if (type == long.class || type == Long.class) {
            return value instanceof Number number ? number.longValue() : Long.valueOf(value.toString());
        }
        return value instanceof OffsetDateTime ? value : OffsetDateTime.parse(value.toString());
    }
}
