package io.mailbridge.storage;

import com.azure.data.tables.models.TableEntity;
import java.time.Instant;

/** How many rows a query found, and the earliest of one of their times: an aggregate whose memory does not grow with the table. */
public record Tally(long count, Instant earliest) {

    /**
     * Walks {@code rows} (a query's pages, fetched one at a time as the walk reaches them) once, reading
     * {@code instantProperty}, an Edm.DateTime; select only that property to keep each page small.
     */
    public static Tally of(Iterable<TableEntity> rows, String instantProperty) {
        long count = 0;
        Instant earliest = null;
        for (TableEntity row : rows) {
            Instant value = Properties.instant(row, instantProperty);
            count++;
            if (value != null && (earliest == null || value.isBefore(earliest))) {
                earliest = value;
            }
        }
        return new Tally(count, earliest);
    }
}
