package io.mailbridge.devhost.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import io.mailbridge.devhost.fixtures.FixtureInjector;
import io.mailbridge.devhost.fixtures.Invocations;
import io.mailbridge.devhost.fixtures.QueueFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Middleware runs around each invocation as in the Java worker: it sees and may replace the arguments, and sees what the function threw. */
class FunctionInvokerTest {
    private static final Map<String, String> QUEUES = Map.of("QUEUE", "q", "TEXT_QUEUE", "text", "BYTES_QUEUE", "bytes");

    @Test
    void middlewareReadsAndReplacesTheTriggerArgumentAroundTheCall() {
        Invocations<Object> messages = new Invocations<>();
        List<String> seen = new ArrayList<>();
        Middleware outer = (context, next) -> {
            String parameter = context.getParameterName("QueueTrigger");
            seen.add("outer " + context.getFunctionName() + " " + parameter + "=" + context.getParameterValue(parameter));
            context.updateParameterValue(parameter, "replaced");
            next.doNext(context);
            seen.add("outer after, invocation " + context.getInvocationId().length());
        };
        Middleware inner = (context, next) -> {
            seen.add("inner " + context.getParameterValue("message") + ", no HttpTrigger: " + context.getParameterName("HttpTrigger"));
            next.doNext(context);
        };
        FunctionInvoker invoker = new FunctionInvoker(new FixtureInjector().with(QueueFunctions.Records.class,
                () -> new QueueFunctions.Records(messages)), List.of(outer, inner));

        InvocationResult result = invoker.invoke(function(QueueFunctions.Records.class, "textMessages"),
                new TriggerInput("original", Map.of(), "New queue message"));

        assertEquals(null, result.failure());
        assertEquals(List.of("replaced"), messages.all());
        assertEquals(List.of("outer textMessages message=original", "inner replaced, no HttpTrigger: null", "outer after, invocation 36"), seen);
    }

    @Test
    void middlewareSeesTheFunctionsOwnExceptionAndTheResultCarriesIt() {
        List<Exception> seen = new ArrayList<>();
        Middleware watching = (context, next) -> {
            try {
                next.doNext(context);
            } catch (Exception e) {
                seen.add(e);
                throw e;
            }
        };
        FunctionInvoker invoker = new FunctionInvoker(new FixtureInjector().with(QueueFunctions.AlwaysFails.class,
                () -> new QueueFunctions.AlwaysFails(new Invocations<>())), List.of(watching));

        InvocationResult result = invoker.invoke(function(QueueFunctions.AlwaysFails.class, "alwaysFails"),
                new TriggerInput("m", Map.of("DequeueCount", 1L, "Id", "id-1"), "New queue message"));

        assertInstanceOf(IllegalStateException.class, result.failure());
        assertSame(result.failure(), seen.get(0));
    }

    private static FunctionDefinition function(Class<?> type, String name) {
        return FunctionIndex.index(List.of(type), AppSettings.of(QUEUES), new StartupProblems()).stream()
                .filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
