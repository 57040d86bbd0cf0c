package io.mailbridge.devhost;

import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.devhost.http.HttpFunctionServer;
import io.mailbridge.devhost.http.HttpOptions;
import io.mailbridge.devhost.http.HttpTriggers;
import io.mailbridge.devhost.queue.QueueTriggers;
import io.mailbridge.devhost.queue.RunningQueueTriggers;
import io.mailbridge.devhost.runtime.AppSettings;
import io.mailbridge.devhost.runtime.FunctionDefinition;
import io.mailbridge.devhost.runtime.FunctionDiscovery;
import io.mailbridge.devhost.runtime.FunctionIndex;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.HostStartupException;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.devhost.runtime.StorageConnections;
import io.mailbridge.devhost.timer.RunningTimerTriggers;
import io.mailbridge.devhost.timer.TimerTriggers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * A local Azure Functions host for Java function classes, for machines where Core Tools cannot be
 * installed: HTTP triggers, queue triggers polling Azure Storage (Azurite) and timer triggers, each
 * with the host's semantics. Function instances come from a {@link FunctionInstanceInjector}, a new
 * one per invocation, as in the Java worker.
 *
 * <pre>{@code
 * try (DevHost host = DevHost.builder()
 *         .functionsIn("com.example", classLoader)
 *         .injector(injector)
 *         .hostJson(Path.of("host.json"))
 *         .settings(localSettings.values())
 *         .keys(localSettings.keys())
 *         .port(7071)
 *         .https(serverTls)   // optional; plain http without it
 *         .start()) {
 *     ... host.baseUri() ...
 * }
 * }</pre>
 */
public final class DevHost implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DevHost.class.getName());
    /** How long the host's queue listener keeps a fetched message invisible before renewing it. */
    private static final Duration HOST_FETCH_VISIBILITY = Duration.ofMinutes(10);

    private final HttpFunctionServer server;
    private final RunningQueueTriggers queues;
    private final RunningTimerTriggers timers;
    private final List<String> descriptions;
    private final URI baseUri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DevHost(HttpFunctionServer server, RunningQueueTriggers queues, RunningTimerTriggers timers,
            HttpTriggers http, QueueTriggers queueTriggers, TimerTriggers timerTriggers) {
        this.server = server;
        this.queues = queues;
        this.timers = timers;
        this.baseUri = URI.create(server.scheme() + "://localhost:" + server.port() + "/");
        List<String> all = new ArrayList<>(http.describe(baseUri));
        all.addAll(queueTriggers.describe());
        all.addAll(timerTriggers.describe());
        this.descriptions = List.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code https://localhost:<port>/} (http without TLS); HTTP functions answer below it at the route prefix. */
    public URI baseUri() {
        return baseUri;
    }

    /** One line per function: its URL, queue or schedule. */
    public List<String> functionDescriptions() {
        return descriptions;
    }

    /** Stops timers, queue polling and HTTP, waiting for every invocation under way to finish; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timers.close();
        queues.close();
        server.close();
        LOG.info("Host stopped");
    }

    public static final class Builder {
        private final Set<Class<?>> functionClasses = new LinkedHashSet<>();
        private FunctionInstanceInjector injector;
        private final List<Middleware> middleware = new ArrayList<>();
        private HostJson hostJson = HostJson.defaults();
        private Map<String, String> settings = Map.of();
        private AccessKeys keys = AccessKeys.none();
        private int port;
        private SSLContext tls;
        private Duration fetchVisibility = HOST_FETCH_VISIBILITY;

        private Builder() {}

        /** Every class of the package and its sub-packages, from directories and jars alike. */
        public Builder functionsIn(String packageName, ClassLoader loader) {
            functionClasses.addAll(FunctionDiscovery.classesIn(packageName, loader));
            return this;
        }

        /** Every class in the anchor's jar (or class folder) under the anchor's package: the function app's own classes. */
        public Builder functionsBeside(Class<?> anchor) {
            functionClasses.addAll(FunctionDiscovery.classesBeside(anchor));
            return this;
        }

        public Builder functionClasses(Collection<Class<?>> classes) {
            functionClasses.addAll(classes);
            return this;
        }

        /** Where function instances come from; required. */
        public Builder injector(FunctionInstanceInjector injector) {
            this.injector = injector;
            return this;
        }

        /** Wraps every invocation, in the order added, as the worker runs the middleware the app lists in META-INF/services. */
        public Builder middleware(Middleware wrapper) {
            middleware.add(Objects.requireNonNull(wrapper, "wrapper"));
            return this;
        }

        /** Without one, every setting takes the host's default. */
        public Builder hostJson(Path file) {
            this.hostJson = HostJson.read(file);
            return this;
        }

        /** The app settings (local.settings.json's Values): %SETTING% values and storage connections. */
        public Builder settings(Map<String, String> settings) {
            this.settings = Map.copyOf(settings);
            return this;
        }

        public Builder keys(AccessKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** 0, the default, takes a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serves HTTP functions over https with this server certificate (as Azure serves a function app), instead of plain http. */
        public Builder https(SSLContext serverTls) {
            this.tls = Objects.requireNonNull(serverTls, "serverTls");
            return this;
        }

        /**
         * How long a fetched queue message stays invisible, renewed at half time while its function
         * runs. The host uses 10 minutes; a shorter one lets a test see the renewal at work.
         */
        public Builder queueFetchVisibility(Duration visibility) {
            if (visibility.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("A queue message's visibility timeout is at least one second");
            }
            this.fetchVisibility = visibility;
            return this;
        }

        /**
         * Checks every function first and refuses to start, naming every problem, when one uses a
         * binding, type, route, queue name, schedule or setting the host cannot serve faithfully.
         *
         * @throws HostStartupException listing the problems, or the storage a trigger cannot reach
         */
        public DevHost start() {
            Objects.requireNonNull(injector, "An injector is required: it creates the function instances");
            AppSettings appSettings = AppSettings.of(settings);
            HostJson hostJson = this.hostJson.overriddenBy(settings);
            StorageConnections connections = new StorageConnections(appSettings);
            StartupProblems problems = new StartupProblems();
            List<FunctionDefinition> functions = FunctionIndex.index(functionClasses, appSettings, problems);
            HttpTriggers http = HttpTriggers.prepare(functions, hostJson, problems);
            long maxRequestBytes = HttpTriggers.maxRequestBytes(appSettings, problems);
            HttpOptions httpLimits = HttpOptions.from(hostJson, problems);
            QueueTriggers queueTriggers = QueueTriggers.prepare(functions, hostJson, connections, problems);
            TimerTriggers timerTriggers = TimerTriggers.prepare(functions, appSettings, connections, problems);
            problems.throwIfAny();
            if (functions.isEmpty()) {
                LOG.warning("No functions found: no @FunctionName method in the classes given");
            }

            FunctionInvoker invoker = new FunctionInvoker(injector, middleware);
            List<String> names = functions.stream().map(FunctionDefinition::name).toList();
            HttpFunctionServer server = http.start(port, tls, keys, names, invoker, maxRequestBytes, httpLimits);
            RunningQueueTriggers queues = null;
            try {
                queues = queueTriggers.start(invoker, fetchVisibility);
                RunningTimerTriggers timers = timerTriggers.start(invoker);
                DevHost host = new DevHost(server, queues, timers, http, queueTriggers, timerTriggers);
                LOG.info(() -> "Host started with " + functions.size() + " functions at " + host.baseUri());
                return host;
            } catch (RuntimeException e) {
                if (queues != null) {
                    queues.close();
                }
                server.close();
                throw e;
            }
        }
    }
}
