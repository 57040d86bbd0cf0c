package io.mailbridge.support;

import io.mailbridge.telemetry.Metrics;
import io.mailbridge.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;

/** Instruments that record nothing, for tests of services whose telemetry is not what they check. */
public final class NoTelemetry {
    public static final Telemetry TELEMETRY = Telemetry.of(OpenTelemetry.noop());
    public static final Metrics METRICS = TELEMETRY.metrics();

    private NoTelemetry() {}
}
