package io.mailbridge.graph;

import io.mailbridge.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One client span and one {@code mailbridge.graph.requests} count per HTTP request to Graph, and the wait Graph asks
 * for when it throttles. The kind names the resource by its last path word (delta, messages, sendMail, $batch...);
 * ids and addresses in the path never reach a metric or a span.
 */
final class GraphRequestTelemetry implements Interceptor {
    private final Telemetry telemetry;
    private final Clock clock;

    GraphRequestTelemetry(Telemetry telemetry, Clock clock) {
        this.telemetry = telemetry;
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String kind = request.method() + " " + resource(request.url().pathSegments());
        Span span = telemetry.tracer().spanBuilder("Graph " + kind).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", request.method())
                .setAttribute("server.address", request.url().host())
                .setAttribute("mailbridge.graph.kind", kind)
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            Response response = chain.proceed(request);
            span.setAttribute("http.response.status_code", response.code());
            if (response.code() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            telemetry.metrics().graphRequest(kind, Integer.toString(response.code()));
            if (response.code() == 429) {
                RetryAfter.parse(response.header("Retry-After"), response.header("Date"), clock).ifPresent(telemetry.metrics()::throttleWait);
            }
            return response;
        } catch (IOException | RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            telemetry.metrics().graphRequest(kind, "network");
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The last path segment that is a plain word: ids hold digits, dashes or '=', addresses an '@'. A function's
     * call parentheses and namespace go ({@code microsoft.graph.delta()} is delta, as the SDK's {@code delta()} is).
     */
    static String resource(List<String> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            String segment = segments.get(i).replaceFirst("^microsoft\\.graph\\.", "").replaceFirst("\\(\\)$", "");
            if (segment.length() <= 40 && segment.matches("\\$?[a-z][A-Za-z.]*")) {
                return segment;
            }
        }
        return "other";
    }
}
