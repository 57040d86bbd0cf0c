package io.mailbridge.ops;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** Every 5 minutes: a fresh ops snapshot for the gauges to report (what the stamp's alerts watch). */
public final class OpsGaugesFunction {
    static final String NAME = "opsGauges";

    private final OpsGauges gauges;
    private final TimerRuns runs;

    public OpsGaugesFunction(OpsGauges gauges, TimerRuns runs) {
        this.gauges = gauges;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timer) {
        runs.record(NAME, gauges::refresh);
    }
}
