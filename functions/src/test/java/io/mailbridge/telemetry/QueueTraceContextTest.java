package io.mailbridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mailbridge.http.Json;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class QueueTraceContextTest {
    record Job(String accountId, int attempt) {}

    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();

    @Test
    void aMessageSentInsideASpanCarriesItAndStillReadsAsItsRecord() throws Exception {
        Span span = tracing.get("test").spanBuilder("producer").startSpan();
        String message;
        try (Scope scope = span.makeCurrent()) {
            message = QueueTraceContext.inject(Json.write(new Job("acme", 2)));
        }

        assertTrue(message.contains("\"traceparent\":\"00-" + span.getSpanContext().getTraceId() + "-"), message);
        assertEquals(new Job("acme", 2), Json.MAPPER.readValue(message, Job.class));
        Span continued = Span.fromContext(QueueTraceContext.extract(message, Context.root()));
        assertEquals(span.getSpanContext().getTraceId(), continued.getSpanContext().getTraceId());
        assertEquals(span.getSpanContext().getSpanId(), continued.getSpanContext().getSpanId());
    }

    @Test
    void withoutATraceOrAJsonObjectTheMessageIsLeftAlone() {
        Span span = tracing.get("test").spanBuilder("producer").startSpan();

        assertEquals("{\"accountId\":\"acme\"}", QueueTraceContext.inject("{\"accountId\":\"acme\"}"), "no current span");
        try (Scope scope = span.makeCurrent()) {
            assertEquals("plain text", QueueTraceContext.inject("plain text"));
            assertEquals("[1,2]", QueueTraceContext.inject("[1,2]"));
        }
        Context base = Context.root();
        assertEquals(base, QueueTraceContext.extract("{\"accountId\":\"acme\"}", base));
        assertEquals(base, QueueTraceContext.extract("not json", base));
    }

    @Test
    void onlyTheTraceFieldsAreForgivenEveryOtherUnknownFieldStillFails() {
        assertThrows(UnrecognizedPropertyException.class,
                () -> Json.MAPPER.readValue("{\"accountId\":\"acme\",\"attempt\":1,\"extra\":true}", Job.class));
    }
}
