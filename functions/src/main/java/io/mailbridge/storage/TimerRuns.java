package io.mailbridge.storage;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last run of each timer function, one row a timer: every timer function runs its work through
 * {@link #record}, so the ops view shows whether each timer still runs and how its last run ended.
 */
public final class TimerRuns {
    private static final Logger LOG = Logger.getLogger(TimerRuns.class.getName());
    private static final String PARTITION = "timers";

    public enum Outcome { RUNNING, SUCCEEDED, FAILED }

    /** One timer's last run; {@code finishedAt} is null while it runs, {@code failure} names what a failed run threw. */
    public record TimerRun(String name, Instant startedAt, Instant finishedAt, Outcome outcome, String failure) {}

    private final EntityTable<TimerRun> table;
    private final Clock clock;

    public TimerRuns(StorageClients storage, Clock clock) {
        this(storage, StorageNames.TIMER_RUNS_TABLE, clock);
    }

    public TimerRuns(StorageClients storage, String tableName, Clock clock) {
        this.table = new EntityTable<>(storage.table(tableName), new Mapper());
        this.clock = clock;
    }

    /** Runs the timer's work, stored as its last run before and after; a failure is stored, then thrown on to the host. */
    public void record(String timer, Runnable work) {
        Instant started = clock.instant();
        save(new TimerRun(timer, started, null, Outcome.RUNNING, null));
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            // The class only: a message may carry a mailbox address or a request, which the ops view must not show.
            save(new TimerRun(timer, started, clock.instant(), Outcome.FAILED, e.getClass().getName()));
            throw e;
        }
        save(new TimerRun(timer, started, clock.instant(), Outcome.SUCCEEDED, null));
    }

    /** Every timer's last run, by name: one row a timer function, so one small query. */
    public List<TimerRun> all() {
        return table.query(new ListEntitiesOptions().setFilter("PartitionKey eq '" + PARTITION + "'")).stream()
                .sorted(Comparator.comparing(TimerRun::name)).toList();
    }

    /** The record is for people; a timer's work (say, the sweep that heals lost notifications) must not wait on it. */
    private void save(TimerRun run) {
        try {
            table.upsert(run);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not store the run of timer " + run.name() + " (" + run.outcome() + ")", e);
        }
    }

    private static final class Mapper implements EntityMapper<TimerRun> {
        @Override
        public String partitionKey(TimerRun run) {
            return PARTITION;
        }

        @Override
        public String rowKey(TimerRun run) {
            return TableKeys.escape(run.name());
        }

        @Override
        public void writeProperties(TimerRun run, TableEntity e) {
            Properties.instant(e, "StartedAt", run.startedAt());
            Properties.instant(e, "FinishedAt", run.finishedAt());
            e.addProperty("Outcome", run.outcome().name());
            Properties.stringIfPresent(e, "Failure", run.failure());
        }

        @Override
        public TimerRun read(TableEntity e) {
            return new TimerRun(TableKeys.unescape(e.getRowKey()), Properties.instant(e, "StartedAt"), Properties.instant(e, "FinishedAt"),
                    Properties.enumValue(e, "Outcome", Outcome.class), Properties.string(e, "Failure"));
        }
    }
}
