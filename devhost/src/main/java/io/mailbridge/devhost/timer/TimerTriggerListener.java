package io.mailbridge.devhost.timer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.Json;
import io.mailbridge.devhost.runtime.TriggerInput;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one timer-triggered function as the host's timer listener does: one invocation at a time,
 * the next occurrence worked out after each run, an immediate run at start when the schedule
 * monitor finds a missed occurrence (IsPastDue) or when runOnStartup is set, and the timer JSON
 * the host passes to a Java function's String parameter.
 */
final class TimerTriggerListener implements AutoCloseable {
    private enum Startup { NONE, PAST_DUE, RUN_ON_STARTUP }

    /** Waits are re-checked at least daily, so a far-off occurrence never needs one huge wait. */
    private static final Duration MAX_WAIT = Duration.ofDays(1);

    private final FunctionDefinition function;
    private final TimerSchedule schedule;
    private final boolean runOnStartup;
    private final Optional<ScheduleMonitor> monitor;
    private final FunctionInvoker invoker;
    private final String timerName;
    private final Object lock = new Object();
    private boolean stopping;
    private ScheduleStatus status;
    private Thread thread;

    TimerTriggerListener(FunctionDefinition function, TimerSchedule schedule, boolean runOnStartup, Optional<ScheduleMonitor> monitor,
            FunctionInvoker invoker) {
        this.function = function;
        this.schedule = schedule;
        this.runOnStartup = runOnStartup;
        this.monitor = monitor;
        this.invoker = invoker;
        this.timerName = timerName(function.name());
    }

    /** The host's timer name: that of the method it generates for a non-.NET function. */
    static String timerName(String functionName) {
        return "Host.Functions." + functionName;
    }

    /** Reads the schedule status (a storage failure here fails the start) and starts the schedule. */
    void start() {
        Instant now = now();
        boolean pastDue = false;
        if (monitor.isPresent()) {
            ScheduleMonitor.PastDueCheck check = monitor.get().checkPastDue(timerName, now, schedule, monitor.get().read(timerName));
            status = check.status().orElse(null);
            pastDue = check.pastDue();
        }
        if (status == null) {
            status = new ScheduleStatus(ScheduleStatus.NEVER, schedule.nextAfter(now), ScheduleStatus.NEVER);
        }
        Startup startup = pastDue ? Startup.PAST_DUE : runOnStartup ? Startup.RUN_ON_STARTUP : Startup.NONE;
        thread = new Thread(() -> run(startup), "devhost-timer-" + function.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** No invocation starts after this; one under way goes on. */
    void stopScheduling() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /** Stops the schedule and waits for an invocation under way to finish. */
    @Override
    public void close() {
        stopScheduling();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Startup startup) {
        if (startup != Startup.NONE) {
            invoke(now(), startup);
        }
        while (waitUntil(status.next())) {
            invoke(now(), Startup.NONE);
        }
    }

    /** False once stopping. Rounds the wait up, so the timer does not fire before its time. */
    private boolean waitUntil(Instant time) {
        synchronized (lock) {
            while (!stopping) {
                Duration remaining = Duration.between(Instant.now(), time);
                if (remaining.isZero() || remaining.isNegative()) {
                    return true;
                }
                try {
                    lock.wait(Math.min(remaining.toMillis() + 1, MAX_WAIT.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private void invoke(Instant invocationTime, Startup startup) {
        synchronized (lock) {
            if (stopping) {
                return;
            }
        }
        boolean pastDue = startup == Startup.PAST_DUE;
        String reason = "Timer fired at " + ScheduleStatus.format(invocationTime)
                + (pastDue ? " (past due)" : startup == Startup.RUN_ON_STARTUP ? " (run on startup)" : "");
        invoker.invoke(function, new TriggerInput(timerJson(pastDue), Map.of(), reason));
        // A timer that fired a little early (clock skew) counts from its due time, so Next never repeats.
        Instant counted = startup == Startup.NONE && status.next().isAfter(invocationTime) ? status.next() : invocationTime;
        status = new ScheduleStatus(counted, schedule.nextAfter(counted), counted);
        monitor.ifPresent(m -> m.write(timerName, status));
    }

    /** ScheduleStatus is null when the schedule is not monitored, as in the host. */
    private String timerJson(boolean pastDue) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putObject("Schedule").put("AdjustForDST", schedule.adjustsForDst());
        if (monitor.isPresent()) {
            json.set("ScheduleStatus", status.toJson());
        } else {
            json.putNull("ScheduleStatus");
        }
        json.put("IsPastDue", pastDue);
        return json.toString();
    }

    /** Microseconds: what survives the status blob's seven fractional digits unchanged. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
