package io.mailbridge.devhost;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The OpenTelemetry implementation the local host gives the app, where Azure has the Application Insights agent:
 * every finished span is logged as one line (and the last {@value #KEPT_SPANS} kept), and the app's metrics are
 * logged every {@code metricInterval}; {@link #spans()} and {@link #metrics()} read them on demand.
 */
public final class LocalTelemetry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalTelemetry.class.getName());
    static final int KEPT_SPANS = 10_000;

    private final Deque<SpanData> spans = new ArrayDeque<>();
    private final OnDemandReader reader = new OnDemandReader();
    private final OpenTelemetrySdk sdk;

    public LocalTelemetry(String serviceName, Duration metricInterval) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(new SpanLog()).setScheduleDelay(Duration.ofMillis(200)).build())
                .build();
        SdkMeterProvider metering = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(reader)
                .registerMetricReader(PeriodicMetricReader.builder(new MetricLog()).setInterval(metricInterval).build())
                .build();
        this.sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing).setMeterProvider(metering).build();
    }

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** The spans finished so far (the most recent {@value #KEPT_SPANS}), oldest first. */
    public List<SpanData> spans() {
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** Every metric's current value (cumulative since the host started). */
    public Collection<MetricData> metrics() {
        return reader.collect();
    }

    /** One line per metric point, as the periodic log shows them: {@code name{attributes} value}. */
    public static List<String> describe(Collection<MetricData> metrics) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (MetricData metric : metrics) {
            for (PointData point : metric.getData().getPoints()) {
                String value = point instanceof LongPointData sum ? String.valueOf(sum.getValue())
                        : point instanceof DoublePointData sum ? String.valueOf(sum.getValue())
                        : point instanceof HistogramPointData histogram
                                ? "count=" + histogram.getCount() + " sum=" + Math.round(histogram.getSum()) + " max=" + Math.round(histogram.getMax())
                                : point.toString();
                StringBuilder attributes = new StringBuilder();
                point.getAttributes().forEach((key, attribute) -> attributes.append(attributes.length() == 0 ? "" : ",")
                        .append(key.getKey()).append('=').append(attribute));
                lines.put(metric.getName() + (attributes.length() == 0 ? "" : "{" + attributes + "}"), value);
            }
        }
        List<String> described = new ArrayList<>();
        lines.forEach((name, value) -> described.add(name + " " + value));
        return described;
    }

    @Override
    public void close() {
        sdk.close();
    }

    private final class SpanLog implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> finished) {
            for (SpanData span : finished) {
                LOG.info(() -> "Span " + span.getName() + " " + span.getKind() + " trace=" + span.getTraceId() + " span=" + span.getSpanId()
                        + " parent=" + (span.getParentSpanContext().isValid() ? span.getParentSpanId() : "none")
                        + " " + TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos()) + " ms "
                        + span.getStatus().getStatusCode() + " " + span.getAttributes().asMap());
            }
            synchronized (spans) {
                spans.addAll(finished);
                while (spans.size() > KEPT_SPANS) {
                    spans.removeFirst();
                }
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private static final class MetricLog implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            // The app's own; the SDK's metrics about itself would only crowd them.
            List<String> lines = describe(metrics).stream().filter(line -> line.startsWith("mailbridge.")).toList();
            if (!lines.isEmpty()) {
                LOG.info(() -> "Metrics:\n  " + String.join("\n  ", lines));
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** Collects when asked, like a scrape. */
    private static final class OnDemandReader implements MetricReader {
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        Collection<MetricData> collect() {
            return registration.collectAllMetrics();
        }

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public MemoryMode getMemoryMode() {
            return MemoryMode.IMMUTABLE_DATA;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
