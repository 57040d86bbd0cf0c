package io.mailbridge.devhost.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClient;
import io.mailbridge.devhost.runtime.Failures;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.HostStartupException;
import io.mailbridge.devhost.runtime.ParameterBinding;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.devhost.runtime.StorageConnections;
import io.mailbridge.devhost.runtime.TriggerBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The queue-triggered functions, checked before anything starts: host.json's queue options, each
 * queue name (after %SETTING% resolution), its storage connection, and its {@code @BindingName}s.
 */
public final class QueueTriggers {
    /** Storage's rule: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit. */
    private static final Pattern QUEUE_NAME = Pattern.compile("(?=.{3,63}$)[a-z0-9](?:-?[a-z0-9])*");
    private static final String POISON_SUFFIX = "-poison";

    private final List<FunctionDefinition> functions;
    private final QueueOptions options;
    private final StorageConnections connections;

    private QueueTriggers(List<FunctionDefinition> functions, QueueOptions options, StorageConnections connections) {
        this.functions = functions;
        this.options = options;
        this.connections = connections;
    }

    public static QueueTriggers prepare(List<FunctionDefinition> all, HostJson hostJson, StorageConnections connections,
            StartupProblems problems) {
        QueueOptions options = QueueOptions.from(hostJson, Runtime.getRuntime().availableProcessors(), problems);
        List<FunctionDefinition> functions = new ArrayList<>();
        for (FunctionDefinition function : all) {
            if (function.trigger() instanceof TriggerBinding.Queue binding) {
                if (!QUEUE_NAME.matcher(binding.queueName()).matches()) {
                    problems.add(function.name(), "queue name '" + binding.queueName() + "' is not valid: 3-63 lower-case"
                            + " letters, digits and single hyphens, starting and ending with a letter or digit");
                }
                connections.check(binding.connection(), function.name(), problems);
                checkBindingNames(function, problems);
                functions.add(function);
            }
        }
        return new QueueTriggers(List.copyOf(functions), options, connections);
    }

    private static void checkBindingNames(FunctionDefinition function, StartupProblems problems) {
        Set<String> available = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        available.addAll(QueueTriggerListener.BINDING_DATA);
        for (ParameterBinding.BindingData data : function.bindingData()) {
            if (!available.contains(data.name())) {
                problems.add(function.name(), "@BindingName(\"" + data.name() + "\") on parameter '" + data.parameterName()
                        + "' names no queue trigger binding data; there are " + new TreeSet<>(QueueTriggerListener.BINDING_DATA));
            }
        }
    }

    /** The poison queue the host uses, unless the queue is one already or the name would be too long. */
    static Optional<String> poisonQueueName(String queueName) {
        String poison = queueName + POISON_SUFFIX;
        return queueName.endsWith(POISON_SUFFIX) || !QUEUE_NAME.matcher(poison).matches() ? Optional.empty() : Optional.of(poison);
    }

    /**
     * Creates each trigger's queue if it is missing and starts polling. {@code fetchVisibility} is
     * how long a fetched message stays invisible before its lease is renewed at half time; the
     * host uses 10 minutes.
     */
    public RunningQueueTriggers start(FunctionInvoker invoker, Duration fetchVisibility) {
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "devhost-queue-renewals");
            thread.setDaemon(true);
            return thread;
        });
        RunningQueueTriggers running = new RunningQueueTriggers(renewals);
        Map<String, QueueServiceClient> services = new HashMap<>();
        for (FunctionDefinition function : functions) {
            TriggerBinding.Queue binding = (TriggerBinding.Queue) function.trigger();
            try {
                QueueServiceClient service = services.computeIfAbsent(binding.connection(), connections::queues);
                QueueClient queue = service.getQueueClient(binding.queueName());
                queue.createIfNotExists();
                Optional<QueueClient> poison = poisonQueueName(binding.queueName()).map(service::getQueueClient);
                QueueTriggerListener listener =
                        new QueueTriggerListener(function, queue, poison, options, fetchVisibility, invoker, renewals);
                running.add(listener);
                listener.start();
            } catch (RuntimeException e) {
                running.close();
                throw new HostStartupException("function '" + function.name() + "' cannot reach its queue '"
                        + binding.queueName() + "': " + Failures.describe(e), e);
            }
        }
        return running;
    }

    /** One line per function: its queue and connection setting. */
    public List<String> describe() {
        return functions.stream()
                .map(function -> {
                    TriggerBinding.Queue binding = (TriggerBinding.Queue) function.trigger();
                    return function.name() + ": queue '" + binding.queueName() + "' (connection " + binding.connection() + ")";
                })
                .toList();
    }
}
