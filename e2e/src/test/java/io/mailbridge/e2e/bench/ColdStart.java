package io.mailbridge.e2e.bench;

import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.devhost.DevHost;
import io.mailbridge.testkit.ProjectRoot;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Cold start in a fresh JVM: {@link #main} is the new instance (the stamp's settings, its own port);
 * {@link #measure} launches it and times, from the launch, the composition root being ready and the
 * first request (Graph's validation handshake) being answered.
 */
final class ColdStart {
    private static final String ROOT_READY = "composition-root-ready-ms=";
    private static final String ROOT_TOOK = "composition-root-took-ms=";
    private static final String ROOT_CPU = "composition-root-cpu-ms=";

    /**
     * One cold start: ms from JVM start to the composition root, how long building it took (wall clock, and the CPU time
     * of the thread that built it, which a loaded machine inflates much less), and ms from launch to the first answer.
     */
    record Timing(long rootReadySinceJvmStart, long rootTook, long rootCpu, long firstAnswerSinceLaunch) {}

    private ColdStart() {}

    /** The new instance: args are a properties file with the app settings and the port to serve on. */
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Properties file = new Properties();
        try (var in = Files.newInputStream(Path.of(args[0]))) {
            file.load(in);
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        file.stringPropertyNames().forEach(name -> settings.put(name, file.getProperty(name)));
        // In Azure the Application Insights agent (APPLICATIONINSIGHTS_ENABLE_AGENT, set by the Bicep) sets the global
        // OpenTelemetry before the worker loads the app; unset, GlobalOpenTelemetry.get() would first look for the SDK's
        // autoconfigure module, opening every jar on this much larger class path.
        GlobalOpenTelemetry.set(OpenTelemetry.noop());
        long before = System.nanoTime();
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        App app = new App(Settings.from(settings));
        long cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
        long took = (System.nanoTime() - before) / 1_000_000;
        System.out.println(ROOT_READY + (System.currentTimeMillis() - jvmStart));
        System.out.println(ROOT_TOOK + took);
        System.out.println(ROOT_CPU + cpu);
        System.out.flush();
        try (DevHost host = DevHost.builder().functionsBeside(App.class).injector(app).hostJson(ProjectRoot.resolve("host.json"))
                .settings(settings).port(Integer.parseInt(args[1])).start()) {
            // Serves until the bench closes our standard input.
            System.in.read();
        }
    }

    /** Launches a fresh JVM with {@code settings} and times it; the instance is stopped afterwards. */
    static Timing measure(Map<String, String> settings) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> own = new java.util.LinkedHashMap<>(settings);
            own.put("MAILBRIDGE_PUBLIC_BASE_URL", "https://localhost:" + port);
            Properties file = new Properties();
            file.putAll(own);
            Path settingsFile = Files.createTempFile("mailbridge-cold-start", ".properties");
            try (var out = Files.newOutputStream(settingsFile)) {
                file.store(out, "cold start");
            }
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Dmailbridge.root=" + ProjectRoot.resolve("."), "-cp", classPath(),
                    ColdStart.class.getName(), settingsFile.toString(), Integer.toString(port)));
            long launched = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))
                    .lines().forEach(output::add), "cold-start-output");
            reader.setDaemon(true);
            reader.start();
            try {
                long firstAnswer = firstAnswer(URI.create("http://localhost:" + port + "/api/graph/notifications?validationToken=cold"),
                        launched, process, output);
                return new Timing(value(output, ROOT_READY), value(output, ROOT_TOOK), value(output, ROOT_CPU), firstAnswer);
            } finally {
                process.getOutputStream().close();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
                Files.deleteIfExists(settingsFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The deployment package first (the app's jar and its lib/ folder, as the Java worker loads them), so the app's
     * classes come from the jars Azure runs; the test class path after it, for the local host.
     */
    private static String classPath() throws IOException {
        Path deployment = ProjectRoot.resolve("functions/target/azure-functions/mailbridge");
        List<String> entries = new ArrayList<>();
        for (Path folder : List.of(deployment, deployment.resolve("lib"))) {
            try (var jars = Files.list(folder)) {
                jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> entries.add(jar.toString()));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("No deployment package in " + deployment + ": package the functions module first");
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static long firstAnswer(URI uri, long launched, Process process, List<String> output) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = launched + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The cold-start instance stopped: " + String.join("\n", output));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return (System.nanoTime() - launched) / 1_000_000;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("The cold-start instance did not answer within 120 s: " + String.join("\n", output));
    }

    private static long value(List<String> output, String prefix) {
        return output.stream().filter(line -> line.startsWith(prefix)).map(line -> Long.parseLong(line.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new IllegalStateException("The instance did not report " + prefix));
    }
}
