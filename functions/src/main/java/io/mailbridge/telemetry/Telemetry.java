package io.mailbridge.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * The app's OpenTelemetry instruments, made once by the composition root: in Azure from the Application Insights
 * Java agent's implementation, locally from the SDK the local host installs.
 */
public record Telemetry(Tracer tracer, Metrics metrics) {
    /** The instrumentation scope every span and metric of the app carries. */
    public static final String SCOPE = "io.mailbridge";

    public static Telemetry of(OpenTelemetry openTelemetry) {
        return new Telemetry(openTelemetry.getTracer(SCOPE), new Metrics(openTelemetry.getMeter(SCOPE)));
    }
}
