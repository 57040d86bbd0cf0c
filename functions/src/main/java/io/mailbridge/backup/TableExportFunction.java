package io.mailbridge.backup;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** Daily at 02:00 UTC: copies the connections and token-cache tables into the table-exports container. */
public final class TableExportFunction {
    private final TableExport export;

    public TableExportFunction(TableExport export) {
        this.export = export;
    }

    @FunctionName("tableExport")
    public void run(@TimerTrigger(name = "timer", schedule = "0 0 2 * * *") String timer) {
        export.exportAll();
    }
}
