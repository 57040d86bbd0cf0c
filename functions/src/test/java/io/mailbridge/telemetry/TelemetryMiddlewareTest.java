package io.mailbridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;
import io.mailbridge.mailbox.MailboxConnection;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelemetryMiddlewareTest {
    /** A service's static logger, as the app's classes have them. */
    private static final Logger SERVICE = Logger.getLogger("io.mailbridge.inbound.SomeService");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    private final TelemetryMiddleware middleware = new TelemetryMiddleware(Telemetry.of(sdk).tracer());
    private final Logger invocationLogger = Logger.getLogger("Function.test." + UUID.randomUUID());
    private final List<LogRecord> invocationLines = Collections.synchronizedList(new ArrayList<>());
    private final List<LogRecord> rootLines = Collections.synchronizedList(new ArrayList<>());
    private final Handler invocationCapture = capture(invocationLines);
    private final Handler rootCapture = capture(rootLines);

    @SuppressWarnings("unused")
    static final class Functions {
        void queued(@QueueTrigger(name = "message", queueName = "q", connection = "c") String message) {}

        void timed(@TimerTrigger(name = "timer", schedule = "0 * * * * *") String timer) {}
    }

    @BeforeEach
    void capture() {
        invocationLogger.setUseParentHandlers(false);
        invocationLogger.addHandler(invocationCapture);
        Logger.getLogger("").addHandler(rootCapture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(rootCapture);
        sdk.close();
    }

    @Test
    void aQueuedMessageContinuesTheTraceItCarriesAndItsLinesReachTheInvocationLoggerWithTheirFields() throws Exception {
        Span producer = sdk.getTracer("test").spanBuilder("graphWebhook").startSpan();
        String message;
        try (Scope scope = producer.makeCurrent()) {
            message = QueueTraceContext.inject("{\"changes\":[]}");
        }
        producer.end();
        String mailbox = MailboxConnection.logName("Alex.Wilber@contoso.example");

        middleware.invoke(new Invocation("mailChanges", "inv-1", "queued", message), next -> {
            InvocationLog.mailbox("acme", mailbox);
            SERVICE.info("Sync delivered 1 of 1 mails");
        });

        SpanData consumer = span("mailChanges");
        assertEquals(SpanKind.CONSUMER, consumer.getKind());
        assertEquals(producer.getSpanContext().getTraceId(), consumer.getTraceId());
        assertEquals(producer.getSpanContext().getSpanId(), consumer.getParentSpanId());
        assertEquals("inv-1", consumer.getAttributes().get(AttributeKey.stringKey("faas.invocation_id")));
        assertEquals("acme", consumer.getAttributes().get(AttributeKey.stringKey("mailbridge.account")));
        assertEquals(mailbox, consumer.getAttributes().get(AttributeKey.stringKey("mailbridge.mailbox")));
        assertEquals(1, invocationLines.size());
        LogRecord line = invocationLines.get(0);
        assertEquals(Level.INFO, line.getLevel());
        assertEquals("Sync delivered 1 of 1 mails [operation=mailChanges invocationId=inv-1 account=acme mailbox=" + mailbox + "]",
                line.getMessage());
        assertFalse(line.getMessage().toLowerCase().contains("alex.wilber"), "a mailbox is named by its hash");
        assertTrue(rootLines.stream().noneMatch(r -> r.getMessage().startsWith("Sync delivered")), "each line is logged once");
    }

    @Test
    void aFailingInvocationEndsItsSpanAsAnErrorAndLinesOutsideInvocationsStayWithTheRootHandlers() {
        IllegalStateException failure = new IllegalStateException("boom");

        Exception thrown = assertThrows(Exception.class, () -> middleware.invoke(new Invocation("sweep", "inv-2", "timed", "{}"), next -> {
            throw failure;
        }));
        SERVICE.info("Between invocations");

        assertSame(failure, thrown);
        SpanData timer = span("sweep");
        assertEquals(SpanKind.INTERNAL, timer.getKind());
        assertFalse(timer.getParentSpanContext().isValid(), "a timer starts its own trace");
        assertEquals(StatusCode.ERROR, timer.getStatus().getStatusCode());
        assertEquals(1, timer.getEvents().size(), "the exception is recorded");
        assertTrue(invocationLines.isEmpty());
        assertTrue(rootLines.stream().anyMatch(r -> r.getMessage().equals("Between invocations")));
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Handler capture(List<LogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }

    /** One invocation of a method of {@link Functions}, as the worker describes it to middleware. */
    private final class Invocation implements MiddlewareContext {
        private final String function;
        private final String invocationId;
        private final Method method;
        private final Object argument;

        Invocation(String function, String invocationId, String methodName, Object argument) throws NoSuchMethodException {
            this.function = function;
            this.invocationId = invocationId;
            this.method = Functions.class.getDeclaredMethod(methodName, String.class);
            this.argument = argument;
        }

        @Override
        public String getParameterName(String annotation) {
            Parameter parameter = method.getParameters()[0];
            return parameter.getAnnotations()[0].annotationType().getSimpleName().equals(annotation) ? "message" : null;
        }

        @Override
        public Object getParameterValue(String name) {
            return "message".equals(name) ? argument : null;
        }

        @Override
        public void updateParameterValue(String name, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object getReturnValue() {
            return null;
        }

        @Override
        public void updateReturnValue(Object value) {}

        @Override
        public Logger getLogger() {
            return invocationLogger;
        }

        @Override
        public String getInvocationId() {
            return invocationId;
        }

        @Override
        public String getFunctionName() {
            return function;
        }
    }
}
