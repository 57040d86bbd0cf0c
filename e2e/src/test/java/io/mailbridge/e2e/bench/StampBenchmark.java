package io.mailbridge.e2e.bench;

import com.azure.storage.queue.QueueClient;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.testkit.ProjectRoot;
import io.mailbridge.testkit.UniqueNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The stamp benchmark kit (issue 16): open-loop webhook load against the product and, in the same
 * run on the same Azurite, the two floor servers ({@link FloorServers}); a notification storm for one
 * folder (drain time, storage requests and Graph requests per notification); heap after the load;
 * storage requests per idle minute; cold start in a fresh JVM. A benchmark, not a test: failsafe does not
 * pick it up; run it with {@code scripts/bench}. It prints a Markdown report and writes it to
 * {@code e2e/target/bench/report.md}. Knobs (system properties): bench.seconds (per load step, 10),
 * bench.loads (1x50,1x100,1x200,10x50,10x200), bench.idleSeconds (600), bench.settleSeconds (110), bench.stormNotifications (750), bench.coldStarts (3),
 * bench.soakMinutes (0: no soak; the issue's figure is 10) and bench.soakRate (20 POSTs/s).
 */
class StampBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARM_UP_SECONDS = 3;
    /** The product's whole path (webhook, queue, consumers' first rounds) is warmed this long before the first step. */
    private static final int WARM_UP_PATH_SECONDS = 20;
    private static final int WARM_UP_RATE = 20;
    /**
     * Every server then runs the first step's load this long before any step counts: after the path's warm-up the JIT
     * still compiled 10 to 20% of a core through the first steps (JFR CompilerStatistics), most of it for the product's
     * longer path, so the first step compared a compiling product with floors whose storage calls it had warmed.
     */
    private static final int JIT_WARM_UP_SECONDS = 30;
    /**
     * The idle window: ten minutes hold one period of every frequent timer (ops gauges every 5 minutes, the Sent
     * reconciliation and the sync sweep every 10), whose runs a single minute either misses (6 to 7 requests) or catches.
     */
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 600);
    /** Long enough for every queue's polling to back off to host.json's maxPollingInterval (100 ms doubling to 60 s). */
    private static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 110);
    private static final int STORM = Integer.getInteger("bench.stormNotifications", 750);
    private static final int STORM_RATE = 50;
    private static final int COLD_STARTS = Integer.getInteger("bench.coldStarts", 3);
    /** Minutes of steady webhook load before heap is measured again; 0 skips it, as a soak adds its minutes to a run of half an hour. */
    private static final int SOAK_MINUTES = Integer.getInteger("bench.soakMinutes", 0);
    private static final int SOAK_RATE = Integer.getInteger("bench.soakRate", 20);
    /** The test stand-ins' packages: what is left of io.mailbridge is the product's own. */
    private static final List<String> NOT_THE_PRODUCT = List.of("io.mailbridge.sandbox.", "io.mailbridge.devhost.", "io.mailbridge.e2e.",
            "io.mailbridge.testkit.");
    /** Load steps, each notifications per POST x POSTs per second. */
    private static final List<int[]> LOADS = java.util.Arrays.stream(System.getProperty("bench.loads", "1x50,1x100,1x200,10x50,10x200")
            .split(",")).filter(step -> !step.isBlank()).map(step -> java.util.Arrays.stream(step.trim().split("x")).mapToInt(Integer::parseInt)
                    .toArray()).toList();

    /** A step that Azurite stopped answering during is measured again, at most this many times in all. */
    private static final int ATTEMPTS = 3;

    private final List<String> report = new ArrayList<>();
    private AzuriteProbe azurite;

    @Test
    void stamp() throws Exception {
        AtomicReference<StorageCounter> counted = new AtomicReference<>();
        AtomicReference<AzuriteProbe> probed = new AtomicReference<>();
        // The sample settings as they are (no test schedules, host.json's polling): the stamp as deployed.
        try (Stack stack = Stack.start(Map.of(), connection -> {
            probed.set(AzuriteProbe.start(connection));
            counted.set(new StorageCounter(connection));
            return counted.get().connectionString();
        })) {
            StorageCounter counter = counted.get();
            try (AzuriteProbe probe = probed.get()) {
                azurite = probe;
                run(stack, counter);
            } finally {
                counter.close();
            }
        }
    }

    private void run(Stack stack, StorageCounter counter) throws Exception {
        line("# Stamp benchmark, " + java.time.Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + " at start");
        coldStart(stack);

        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        String account = UniqueNames.next("bench");
        Connecting connecting = new Connecting(stack);
        connecting.connect(connecting.link(account, "u1", joni, List.of("Connect to mailbox"), "US"), "TWO_WAY", joni, "accept");
        MailSubscription subscription = new Subscriptions(stack.storage()).of(account, "u1").stream()
                .filter(s -> s.folder().equals("inbox")).findFirst().orElseThrow();
        // The app keeps only the client state's hash; Graph, here the sandbox, has it in clear.
        String clientState = stack.sandbox().exchange().subscriptions().get(subscription.id()).orElseThrow().clientState();
        URI webhook = stack.appBaseUrl().resolve("api/graph/notifications");
        HttpClient http = HttpClient.newBuilder().sslContext(stack.sandbox().tls().clientContext()).connectTimeout(Duration.ofSeconds(5))
                .build();
        OpenLoad load = new OpenLoad(http);
        StorageClients relayed = StorageClients.connect(new StorageSettings.ConnectionString(counter.connectionString()));
        QueueClient changes = stack.storage().queues().getQueueClient(StorageNames.MAIL_CHANGES_QUEUE);

        try {
            warmUp(load, webhook, subscription, clientState, changes);
            latencies(stack, load, relayed, webhook, subscription, clientState, changes);
            storm(stack, load, counter, webhook, subscription, clientState, changes, joni);
            heap();
            if (SOAK_MINUTES > 0) {
                soak(load, webhook, subscription, clientState, changes);
            }
            idle(counter);
        } finally {
            write();
        }
    }

    private void coldStart(Stack stack) {
        List<ColdStart.Timing> timings = new ArrayList<>();
        for (int i = 0; i < COLD_STARTS; i++) {
            timings.add(ColdStart.measure(stack.local().settings()));
        }
        line("");
        line("## Cold start (fresh JVM, " + COLD_STARTS + " launches; target: composition root under 300 ms)");
        line("");
        line("| launch | JVM start to composition root ready | building it (Settings + App) | its thread's CPU time "
                + "| launch to first answered request |");
        line("|---|---|---|---|---|");
        for (int i = 0; i < timings.size(); i++) {
            ColdStart.Timing t = timings.get(i);
            line(String.format(Locale.ROOT, "| %d | %d ms | %d ms | %d ms | %d ms |", i + 1, t.rootReadySinceJvmStart(), t.rootTook(),
                    t.rootCpu(), t.firstAnswerSinceLaunch()));
        }
    }

    /**
     * The product's whole path warmed before the steps: the first notifications start its consumers' first delta rounds,
     * which load the Graph SDK and sign in (seconds of CPU on this machine's two cores, shared with the webhook here; in
     * Flex Consumption HTTP and queue functions scale on separate instances). Its figures are reported, not compared.
     */
    private void warmUp(OpenLoad load, URI webhook, MailSubscription subscription, String clientState, QueueClient changes) {
        OpenLoad.Result result = load.run(webhook, body(subscription.id(), clientState, 1), WARM_UP_RATE,
                Duration.ofSeconds(WARM_UP_PATH_SECONDS));
        Duration drained = awaitEmpty(changes, Duration.ofMinutes(3));
        line("");
        line(String.format(Locale.ROOT, "Warm-up of the product's path before the steps: %d s at %d POSTs/s, p50 / p99 %s / %s, %d errors%s; "
                + "its queue drained %.1f s after.", WARM_UP_PATH_SECONDS, WARM_UP_RATE, result.percentile(50), result.percentile(99),
                result.errors(), result.stallSummary().isEmpty() ? "" : " (" + result.stallSummary() + ")", drained.toMillis() / 1000.0));
    }

    private void latencies(Stack stack, OpenLoad load, StorageClients relayed, URI webhook, MailSubscription subscription,
            String clientState, QueueClient changes) throws Exception {
        String partition = TableKeys.escape(subscription.id());
        line("");
        line("## Webhook acknowledgement, open loop (" + SECONDS + " s per step after " + WARM_UP_SECONDS
                + " s warm-up, each server having first run the first step's load for " + JIT_WARM_UP_SECONDS
                + " s; latency from the scheduled send; percentiles over every POST sent, "
                + "one not answered 2xx within " + OpenLoad.TIMEOUT.toSeconds() + " s counting as slowest: an error; a server's step "
                + "during which Azurite answered nothing for " + AzuriteProbe.STALL.toSeconds() + " s or more is measured again, up to "
                + ATTEMPTS + " attempts, and noted below; each step starts with the next server in turn: floor, draining floor, product)");
        line("");
        line("| load (notifications/POST x POSTs/s) | floor: read + put p50 / p99 | floor + draining consumer p50 / p99 "
                + "| product p50 / p99 | product errors (floors') | product/floor p50 | product/floor p99 | product/draining floor p99 |");
        line("|---|---|---|---|---|---|---|---|");
        // Both floors serve the whole run, as the product does, so each keeps its warm code and connections.
        try (FloorServers floor = FloorServers.start(stack.sandbox().tls().issueServerContext(), relayed, StorageNames.SUBSCRIPTIONS_TABLE,
                partition, UniqueNames.next("floor"), false);
                FloorServers drainedFloor = FloorServers.start(stack.sandbox().tls().issueServerContext(), relayed,
                        StorageNames.SUBSCRIPTIONS_TABLE, partition, UniqueNames.next("floordrain"), true)) {
            List<String> stalls = new ArrayList<>();
            List<Server> servers = List.of(new Server("floor", floor.uri(), () -> floor.settle(Duration.ofMinutes(1))),
                    new Server("draining floor", drainedFloor.uri(), () -> drainedFloor.settle(Duration.ofMinutes(3))),
                    new Server("product", webhook, () -> awaitEmpty(changes, Duration.ofMinutes(3))));
            int[] first = LOADS.get(0);
            for (Server server : servers) {
                load.run(server.uri(), body(subscription.id(), clientState, first[0]), first[1], Duration.ofSeconds(JIT_WARM_UP_SECONDS));
                server.settle().run();
            }
            for (int index = 0; index < LOADS.size(); index++) {
                int perPost = LOADS.get(index)[0];
                int rate = LOADS.get(index)[1];
                String body = body(subscription.id(), clientState, perPost);
                String label = perPost + " x " + rate;
                // Each step starts with the next server: Azurite's queue sweep, which comes about once a minute and is longest after
                // the servers before have consumed thousands of messages, then falls on each server in turn, not mostly on the last.
                Map<String, OpenLoad.Result> results = new HashMap<>();
                for (int turn = 0; turn < servers.size(); turn++) {
                    Server server = servers.get((index + turn) % servers.size());
                    results.put(server.name(), measure(load, server.uri(), body, rate, label + ", " + server.name(), stalls, server.settle()));
                }
                OpenLoad.Result bare = results.get("floor");
                OpenLoad.Result drained = results.get("draining floor");
                OpenLoad.Result product = results.get("product");
                line(String.format(Locale.ROOT, "| %d x %d | %s | %s | %s | %d (%d, %d) | %s | %s | %s |", perPost, rate, pair(bare),
                        pair(drained), pair(product), product.errors(), bare.errors(), drained.errors(),
                        product.ratio(50, bare), product.ratio(99, bare), product.ratio(99, drained)));
                for (Server server : servers) {
                    stalls.add(stallNote(label, server.name(), results.get(server.name())));
                    server.settle().run();
                }
            }
            stalls.removeIf(String::isEmpty);
            if (!stalls.isEmpty()) {
                line("");
                stalls.forEach(note -> line("- " + note));
            }
        }
    }

    /** Leaves a server's queue as a step should find it. */
    private interface Settle {
        void run() throws InterruptedException;
    }

    /** One of the servers a load step measures: the floor, the draining floor or the product. */
    private record Server(String name, URI uri, Settle settle) {}

    private static String stallNote(String step, String server, OpenLoad.Result result) {
        String summary = result.stallSummary();
        return summary.isEmpty() ? "" : step + ", " + server + ": " + summary;
    }

    /**
     * One server's step. When Azurite itself stopped answering for longer than {@link AzuriteProbe#STALL} while it ran, the
     * step measured the emulator's pause rather than the server: it is noted, the server's queue settled, and the step run
     * again, up to {@link #ATTEMPTS} times in all (the last attempt counts whatever happened).
     */
    private OpenLoad.Result measure(OpenLoad load, URI target, String body, int rate, String step, List<String> notes,
            Settle settle) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            load.run(target, body, rate, Duration.ofSeconds(WARM_UP_SECONDS));
            long from = System.nanoTime();
            OpenLoad.Result result = load.run(target, body, rate, Duration.ofSeconds(SECONDS));
            Duration stalled = azurite.longestStall(from, System.nanoTime());
            if (stalled.compareTo(AzuriteProbe.STALL) < 0) {
                return result;
            }
            String note = String.format(Locale.ROOT, "%s: Azurite answered nothing for %.1f s during attempt %d (%d errors, p99 %s)%s", step,
                    stalled.toMillis() / 1000.0, attempt, result.errors(), result.percentile(99),
                    attempt < ATTEMPTS ? "; measured again" : "; kept, as the last attempt");
            // On the console at once too: the report prints its notes after the table, which a stopped run never reaches.
            System.out.println("Note: " + note);
            notes.add(note);
            if (attempt == ATTEMPTS) {
                return result;
            }
            settle.run();
        }
    }

    /** The storm, run again (each attempt a row) when Azurite paused for {@link AzuriteProbe#STALL} or more during it and its drain. */
    private void storm(Stack stack, OpenLoad load, StorageCounter counter, URI webhook, MailSubscription subscription, String clientState,
            QueueClient changes, SandboxUser mailbox) {
        line("");
        line("## Storm: " + STORM + " notifications for one folder at " + STORM_RATE + "/s (targets: drained within 10 s of its end, "
                + "at most 3 storage requests per notification; run again when Azurite paused " + AzuriteProbe.STALL.toSeconds()
                + " s or more, up to " + ATTEMPTS + " attempts)");
        line("");
        line("| attempt | storm took | drained after its end | storage requests | per notification | Graph requests | webhook p99 | errors "
                + "| Azurite's longest pause |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            awaitEmpty(changes, Duration.ofMinutes(3));
            long storageBefore = counter.requests();
            long graphBefore = stack.sandbox().graphRequests(mailbox.id());
            long started = System.nanoTime();
            OpenLoad.Result result = load.run(webhook, body(subscription.id(), clientState, 1), STORM_RATE,
                    Duration.ofMillis(1000L * STORM / STORM_RATE));
            long ended = System.nanoTime();
            Duration drain = awaitEmpty(changes, Duration.ofMinutes(20));
            Duration stalled = azurite.longestStall(started, System.nanoTime());
            long storage = counter.requests() - storageBefore;
            long graph = stack.sandbox().graphRequests(mailbox.id()) - graphBefore;
            line(String.format(Locale.ROOT, "| %d | %.1f s | %.1f s | %d | %.2f | %d | %s | %d | %.1f s |", attempt, (ended - started) / 1e9,
                    drain.toMillis() / 1000.0, storage, storage / (double) STORM, graph, result.percentile(99), result.errors(),
                    stalled.toMillis() / 1000.0));
            if (stalled.compareTo(AzuriteProbe.STALL) < 0) {
                return;
            }
        }
    }

    private void heap() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        line("");
        line(String.format(Locale.ROOT, "Heap used after the load and a full GC: %.0f MiB (this JVM holds the product's two stamps, "
                + "the sandbox and the load generator).", used / 1048576.0));
    }

    /**
     * Heap growth under steady load: this JVM also holds the sandbox, the load generator and the devhost, so the figure
     * that matters is the growth over the soak, and the shallow size of the product's own objects (its caches' entries).
     */
    private void soak(OpenLoad load, URI webhook, MailSubscription subscription, String clientState, QueueClient changes)
            throws Exception {
        awaitEmpty(changes, Duration.ofMinutes(3));
        long heapBefore = heapAfterFullGc();
        Map<String, long[]> before = liveObjects();
        long started = System.nanoTime();
        OpenLoad.Result result = load.run(webhook, body(subscription.id(), clientState, 1), SOAK_RATE, Duration.ofMinutes(SOAK_MINUTES));
        Duration stalled = azurite.longestStall(started, System.nanoTime());
        awaitEmpty(changes, Duration.ofMinutes(3));
        long heapAfter = heapAfterFullGc();
        Map<String, long[]> after = liveObjects();
        line("");
        line(String.format(Locale.ROOT, "## Soak: %d min of webhook load at %d POSTs/s (1 notification each, the queue drained after), "
                + "heap after a full GC", SOAK_MINUTES, SOAK_RATE));
        line("");
        line("| heap before | heap after | growth | product's own objects before / after (shallow) | webhook p99 | errors "
                + "| Azurite's longest pause |");
        line("|---|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %.1f MiB | %.1f MiB | %+.1f MiB | %.1f / %.1f KiB | %s | %d | %.1f s |", heapBefore / 1048576.0,
                heapAfter / 1048576.0, (heapAfter - heapBefore) / 1048576.0, productBytes(before) / 1024.0, productBytes(after) / 1024.0,
                result.percentile(99), result.errors(), stalled.toMillis() / 1000.0));
        line("");
        line("Product classes whose objects grew most over the soak: " + grewMost(before, after, true) + ".");
        line("");
        line("All classes whose objects grew most (this JVM's): " + grewMost(before, after, false) + ".");
    }

    private static String grewMost(Map<String, long[]> before, Map<String, long[]> after, boolean productOnly) {
        List<String> grew = after.entrySet().stream().filter(type -> !productOnly || isProduct(type.getKey())).map(type -> {
            long[] was = before.getOrDefault(type.getKey(), new long[2]);
            return new Growth(type.getKey(), type.getValue()[0] - was[0], type.getValue()[1] - was[1]);
        }).filter(growth -> growth.bytes() > 0).sorted(java.util.Comparator.comparingLong(Growth::bytes).reversed()).limit(5)
                .map(growth -> String.format(Locale.ROOT, "%s %+d (%+.1f KiB)", growth.type(), growth.instances(), growth.bytes() / 1024.0))
                .toList();
        return grew.isEmpty() ? "none" : String.join("; ", grew);
    }

    private static boolean isProduct(String type) {
        return type.startsWith("io.mailbridge.") && NOT_THE_PRODUCT.stream().noneMatch(type::startsWith);
    }

    private static long productBytes(Map<String, long[]> objects) {
        return objects.entrySet().stream().filter(type -> isProduct(type.getKey())).mapToLong(type -> type.getValue()[1]).sum();
    }

    private record Growth(String type, long instances, long bytes) {}

    private static long heapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Instances and shallow bytes per class, from the JVM's class histogram (taken after a full GC). */
    private static Map<String, long[]> liveObjects() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> objects = new java.util.TreeMap<>();
        // Rows read "  num:  #instances  #bytes  class name (module)".
        for (String row : histogram.split("\\R")) {
            String[] cells = row.trim().split("\\s+");
            if (cells.length >= 4 && cells[0].endsWith(":")) {
                objects.merge(cells[3], new long[] {Long.parseLong(cells[1]), Long.parseLong(cells[2])},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return objects;
    }

    /**
     * Storage requests per minute at rest, as the mean over the idle window and its busiest minute (counted each
     * second). Azurite's sweep of the messages the load left behind can stop it for longer than a queue receive waits
     * (the pollers then fail and fetch again): a window it paused in, or the settling before it, is measured again, up
     * to {@link #ATTEMPTS} times.
     */
    private void idle(StorageCounter counter) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            long from = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(SETTLE_SECONDS).toMillis());
            long[] total = new long[IDLE_SECONDS + 1];
            total[0] = counter.requests();
            for (int second = 1; second <= IDLE_SECONDS; second++) {
                Thread.sleep(1000);
                total[second] = counter.requests();
            }
            double perMinute = (total[IDLE_SECONDS] - total[0]) * 60.0 / IDLE_SECONDS;
            long busiest = 0;
            for (int end = Math.min(60, IDLE_SECONDS); end <= IDLE_SECONDS; end++) {
                busiest = Math.max(busiest, total[end] - total[end - Math.min(60, IDLE_SECONDS)]);
            }
            Duration stalled = azurite.longestStall(from, System.nanoTime());
            String paused = stalled.compareTo(AzuriteProbe.STALL) < 0 ? ""
                    : String.format(Locale.ROOT, "; Azurite answered nothing for %.1f s during it%s", stalled.toMillis() / 1000.0,
                            attempt < ATTEMPTS ? ", measured again" : ", kept as the last attempt");
            line("");
            line(String.format(Locale.ROOT, "Storage requests per idle minute (US stamp, one connected mailbox, after %d s at rest, "
                    + "mean over %d s), attempt %d: %.1f (target: at most 16.5, a tenth of 165); its busiest %d s: %d%s.", SETTLE_SECONDS,
                    IDLE_SECONDS, attempt, perMinute, Math.min(60, IDLE_SECONDS), busiest, paused));
            if (paused.isEmpty() || attempt == ATTEMPTS) {
                return;
            }
        }
    }

    /** Waits until the queue has no message left, visible or running; how long that took, or the limit when it did not drain. */
    private Duration awaitEmpty(QueueClient queue, Duration limit) {
        long started = System.nanoTime();
        while (queue.getProperties().getApproximateMessagesCount() > 0) {
            if (System.nanoTime() - started > limit.toNanos()) {
                line("");
                line("(the queue " + queue.getQueueName() + " still held " + queue.getProperties().getApproximateMessagesCount()
                        + " messages after " + limit.toSeconds() + " s; going on)");
                return limit;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String pair(OpenLoad.Result result) {
        return result.percentile(50) + " / " + result.percentile(99);
    }

    private static String body(String subscriptionId, String clientState, int notifications) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < notifications; i++) {
            items.add("{\"subscriptionId\":\"" + subscriptionId + "\",\"clientState\":\"" + clientState
                    + "\",\"changeType\":\"created\",\"resource\":\"Users/x/Messages/m" + i + "\",\"resourceData\":{\"id\":\"m" + i
                    + "\"},\"tenantId\":\"t\"}");
        }
        return "{\"value\":[" + String.join(",", items) + "]}";
    }

    private void line(String text) {
        System.out.println(text);
        report.add(text);
    }

    private void write() throws IOException {
        Path file = ProjectRoot.resolve("e2e/target/bench/report.md");
        Files.createDirectories(file.getParent());
        Files.write(file, report);
        System.out.println("Report written to " + file);
    }
}
