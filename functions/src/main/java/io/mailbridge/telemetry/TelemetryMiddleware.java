package io.mailbridge.telemetry;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareChain;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * Wraps every function invocation, through the Java worker's middleware chain, so no function class repeats it:
 * a span named after the function (continuing the trace a queue message carries, else the host's), and the
 * app's log lines routed to the invocation's logger ({@link InvocationLog}).
 */
public final class TelemetryMiddleware implements Middleware {
    private static final TextMapGetter<TraceContext> FROM_HOST = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            return carrier == null ? null : "traceparent".equals(key) ? carrier.getTraceparent() : carrier.getTracestate();
        }
    };

    private final Tracer tracer;

    public TelemetryMiddleware(Tracer tracer) {
        this.tracer = tracer;
        InvocationLog.install();
    }

    @Override
    public void invoke(MiddlewareContext context, MiddlewareChain chain) throws Exception {
        Context invoked = invocationContext(context);
        Context parent = invoked;
        String queueParameter = context.getParameterName("QueueTrigger");
        SpanKind kind = SpanKind.INTERNAL;
        String trigger = "timer";
        if (queueParameter != null) {
            kind = SpanKind.CONSUMER;
            trigger = "pubsub";
            Object message = context.getParameterValue(queueParameter);
            parent = QueueTraceContext.extract(message instanceof String text ? text : null, invoked);
        } else if (context.getParameterName("HttpTrigger") != null) {
            kind = SpanKind.SERVER;
            trigger = "http";
        }
        SpanBuilder builder = tracer.spanBuilder(context.getFunctionName()).setParent(parent).setSpanKind(kind)
                .setAttribute("faas.trigger", trigger)
                .setAttribute("faas.invocation_id", context.getInvocationId());
        SpanContext host = Span.fromContext(invoked).getSpanContext();
        if (parent != invoked && host.isValid()) {
            // The mail's trace is the parent; the host's own record of this invocation stays one click away.
            builder.addLink(host);
        }
        Span span = builder.startSpan();
        InvocationLog.Fields fields = new InvocationLog.Fields(context.getFunctionName(), context.getInvocationId(), context.getLogger());
        try (Scope scope = InvocationLog.bind(parent.with(span), fields).makeCurrent()) {
            chain.doNext(context);
            if (context.getReturnValue() instanceof HttpResponseMessage response) {
                span.setAttribute("http.response.status_code", response.getStatusCode());
                if (response.getStatusCode() >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
            }
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** In Azure the Application Insights agent has made the host's invocation current; otherwise the host hands it over. */
    private static Context invocationContext(MiddlewareContext context) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) {
            return current;
        }
        return W3CTraceContextPropagator.getInstance().extract(current, context.getTraceContext(), FROM_HOST);
    }
}
