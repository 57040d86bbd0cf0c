package io.mailbridge.housekeeping;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** On MAILBRIDGE_HOUSEKEEPING_SCHEDULE: deletes expired sign-ins, used links and signatures, and abandoned mail content. */
public final class HousekeepingFunction {
    static final String NAME = "housekeeping";

    private final Housekeeping housekeeping;
    private final TimerRuns runs;

    public HousekeepingFunction(Housekeeping housekeeping, TimerRuns runs) {
        this.housekeeping = housekeeping;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_HOUSEKEEPING_SCHEDULE%") String timer) {
        runs.record(NAME, housekeeping::sweep);
    }
}
