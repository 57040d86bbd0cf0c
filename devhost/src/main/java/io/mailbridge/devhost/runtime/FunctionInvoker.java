package io.mailbridge.devhost.runtime;

import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
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
 * invocation (static methods need none), arguments bound from the trigger input, the app's
 * middleware around the call (as the worker loads it from META-INF/services), and the host's
 * "Executing"/"Executed" log lines around it all.
 */
public final class FunctionInvoker {
    private static final Logger LOG = Logger.getLogger(FunctionInvoker.class.getName());

    private final FunctionInstanceInjector injector;
    private final List<Middleware> middleware;

    public FunctionInvoker(FunctionInstanceInjector injector, List<Middleware> middleware) {
        this.injector = injector;
        this.middleware = List.copyOf(middleware);
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
            FunctionContext context = new FunctionContext(invocationId, function);
            context.arguments(arguments(function, input, context));
            proceed(0, context, function, target);
            LOG.info(() -> executed(function, invocationId, "Succeeded", started));
            return new InvocationResult(invocationId, context.getReturnValue(), null);
        } catch (Exception | Error e) {
            return failed(function, invocationId, started, e);
        }
    }

    /** The middleware chain; its last link calls the function, throwing what the function threw. */
    private void proceed(int index, FunctionContext context, FunctionDefinition function, Object target) throws Exception {
        if (index < middleware.size()) {
            middleware.get(index).invoke(context, next -> proceed(index + 1, context, function, target));
            return;
        }
        try {
            context.updateReturnValue(function.method().invoke(target, context.arguments()));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
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

    private static Object[] arguments(FunctionDefinition function, TriggerInput input, FunctionContext context) {
        List<ParameterBinding> parameters = function.parameters();
        Object[] arguments = new Object[parameters.size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = switch (parameters.get(i)) {
                case ParameterBinding.Trigger trigger -> input.triggerValue();
                case ParameterBinding.Context contextParameter -> context;
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
