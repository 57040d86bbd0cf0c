package io.mailbridge.devhost.timer;

import com.azure.storage.blob.BlobContainerClient;
import io.mailbridge.devhost.runtime.AppSettings;
import io.mailbridge.devhost.runtime.Failures;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.HostStartupException;
import io.mailbridge.devhost.runtime.ParameterBinding;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.devhost.runtime.StorageConnections;
import io.mailbridge.devhost.runtime.TriggerBinding;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The timer-triggered functions, checked before anything starts: each schedule (after %SETTING%
 * resolution) and, for monitored schedules, the host storage that keeps their status. As in the
 * host, a schedule that fires more often than once a minute is not monitored.
 */
public final class TimerTriggers {
    /** The app setting that names the host ID, as in Azure Functions. */
    static final String HOST_ID_SETTING = "AzureFunctionsWebHost__hostid";

    private final List<Timer> timers;
    private final StorageConnections connections;
    private final String hostId;

    private record Timer(FunctionDefinition function, TimerSchedule schedule, boolean runOnStartup, boolean monitored) {}

    private TimerTriggers(List<Timer> timers, StorageConnections connections, String hostId) {
        this.timers = timers;
        this.connections = connections;
        this.hostId = hostId;
    }

    public static TimerTriggers prepare(List<FunctionDefinition> functions, AppSettings settings, StorageConnections connections,
            StartupProblems problems) {
        List<Timer> timers = new ArrayList<>();
        for (FunctionDefinition function : functions) {
            if (function.trigger() instanceof TriggerBinding.Timer binding) {
                for (ParameterBinding.BindingData data : function.bindingData()) {
                    problems.add(function.name(), "@BindingName(\"" + data.name() + "\") on parameter '" + data.parameterName()
                            + "': a timer trigger provides no binding data the devhost passes");
                }
                try {
                    TimerSchedule schedule = TimerSchedule.parse(binding.schedule());
                    schedule.nextAfter(Instant.now());
                    boolean monitored = binding.useMonitor() && !schedule.firesMoreThanOncePerMinute();
                    if (monitored) {
                        connections.check(StorageConnections.HOST_STORAGE, function.name(), problems);
                    }
                    timers.add(new Timer(function, schedule, binding.runOnStartup(), monitored));
                } catch (IllegalArgumentException e) {
                    problems.add(function.name(), e.getMessage());
                }
            }
        }
        return new TimerTriggers(List.copyOf(timers), connections, hostId(settings));
    }

    /**
     * The setting AzureFunctionsWebHost__hostid, else one derived from the machine name (lower case,
     * letters, digits and hyphens, at most 32 characters), as the host derives it outside Azure.
     */
    static String hostId(AppSettings settings) {
        return settings.get(HOST_ID_SETTING).orElseGet(() -> {
            String machine;
            try {
                machine = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                machine = "localhost";
            }
            String id = machine.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
            id = id.substring(0, Math.min(32, id.length())).replaceAll("-+$", "");
            return id.isEmpty() ? "devhost" : id;
        });
    }

    public RunningTimerTriggers start(FunctionInvoker invoker) {
        RunningTimerTriggers running = new RunningTimerTriggers();
        Optional<BlobContainerClient> container = timers.stream().anyMatch(Timer::monitored)
                ? Optional.of(connections.blobs(StorageConnections.HOST_STORAGE).getBlobContainerClient(ScheduleMonitor.CONTAINER))
                : Optional.empty();
        for (Timer timer : timers) {
            Optional<ScheduleMonitor> monitor = timer.monitored()
                    ? container.map(c -> new ScheduleMonitor(c, hostId))
                    : Optional.empty();
            TimerTriggerListener listener = new TimerTriggerListener(timer.function(), timer.schedule(), timer.runOnStartup(), monitor, invoker);
            try {
                listener.start();
            } catch (RuntimeException e) {
                running.close();
                throw new HostStartupException("function '" + timer.function().name()
                        + "' cannot read its schedule status from host storage: " + Failures.describe(e), e);
            }
            running.add(listener);
        }
        return running;
    }

    /** One line per function: its schedule, and whether its status is monitored. */
    public List<String> describe() {
        return timers.stream()
                .map(timer -> timer.function().name() + ": schedule '" + timer.schedule() + "' (UTC"
                        + (timer.monitored() ? ", monitored" : "") + (timer.runOnStartup() ? ", runs on startup" : "") + ")")
                .toList();
    }
}
