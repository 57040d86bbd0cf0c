package io.mailbridge.backup;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.storage.TimerRuns;

/** Daily at 02:00 UTC: copies the connections and token-cache tables into the table-exports container. */
public final class TableExportFunction {
    static final String NAME = "tableExport";

    private final TableExport export;
    private final TimerRuns runs;

    public TableExportFunction(TableExport export, TimerRuns runs) {
        this.export = export;
        this.runs = runs;
    }

    @FunctionName(NAME)
    public void run(@TimerTrigger(name = "timer", schedule = "0 0 2 * * *") String timer) {
        runs.record(NAME, export::exportAll);
    }
}
