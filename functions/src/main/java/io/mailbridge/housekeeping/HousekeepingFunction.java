package io.mailbridge.housekeeping;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** On MAILBRIDGE_HOUSEKEEPING_SCHEDULE: deletes expired sign-ins, used links and signatures, and abandoned mail content. */
public final class HousekeepingFunction {
    private final Housekeeping housekeeping;

    public HousekeepingFunction(Housekeeping housekeeping) {
        this.housekeeping = housekeeping;
    }

    @FunctionName("housekeeping")
    public void run(@TimerTrigger(name = "timer", schedule = "%MAILBRIDGE_HOUSEKEEPING_SCHEDULE%") String timer) {
        housekeeping.sweep();
    }
}
