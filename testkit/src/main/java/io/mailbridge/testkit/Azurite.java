package io.mailbridge.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Azurite process (the npm package pinned in package-lock.json). Tests {@link #start()} one on ports the
 * operating system picked, with nothing persisted; the run command {@link #startOrReuse starts or reuses} one on
 * Azurite's default ports, with its data kept. Close it to stop it.
 */
public final class Azurite implements AutoCloseable {
    /** Azurite's well-known development account, which "UseDevelopmentStorage=true" means; not a secret. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** A second account in the same emulator, as a second stamp's own storage account; a local key, not a secret. */
    public static final String SECOND_ACCOUNT_NAME = "mailbridgeeu";
    public static final String SECOND_ACCOUNT_KEY = "bWFpbGJyaWRnZS1ldS1zdGFtcC1sb2NhbC1henVyaXRlLWFjY291bnQta2V5LW5vdC1hLXNlY3JldC0wMTIz";

    /** Where "UseDevelopmentStorage=true" expects the blob, queue and table services. */
    private static final List<Integer> DEFAULT_PORTS = List.of(10000, 10001, 10002);
    private static final Pattern LISTENING =
            Pattern.compile("Azurite (Blob|Queue|Table) service is successfully listening at http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Null when an emulator that was already running is reused. */
    private final Process process;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort) {
        this.process = process;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    /** For tests: ports the operating system picks, nothing persisted, the development account and the second one. */
    public static Azurite start() {
        Path script = script(ProjectRoot.path());
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("Azurite is not installed at " + script
                    + ": run `npm ci` in " + ProjectRoot.path() + " (mvn verify does this when node_modules is missing)");
        }
        // Naming accounts replaces Azurite's default one, so the list keeps it.
        return launch(script, List.of("--blobPort", "0", "--queuePort", "0", "--tablePort", "0", "--inMemoryPersistence", "--silent"),
                ACCOUNT_NAME + ":" + ACCOUNT_KEY + ";" + SECOND_ACCOUNT_NAME + ":" + SECOND_ACCOUNT_KEY, null);
    }

    /**
     * For the run command: Azurite on its default ports, with its data and log kept under {@code <root>/.azurite}, serving
     * the storage accounts the stamps' connection strings name (so each stamp has its own). An emulator already listening
     * there is reused; otherwise Azurite is started, after {@code npm ci} when it is not installed.
     *
     * @param connectionStrings the stamps' AzureWebJobsStorage, each naming the account Azurite must serve
     */
    public static Azurite startOrReuse(Path root, PrintStream out, List<String> connectionStrings) {
        String accounts = accounts(connectionStrings);
        List<Integer> busy = DEFAULT_PORTS.stream().filter(Azurite::isListening).toList();
        if (busy.size() == DEFAULT_PORTS.size()) {
            out.println("Storage: something already listens on ports 10000-10002; using it as Azurite."
                    + " It must serve every stamp's account (AZURITE_ACCOUNTS=" + accountNames(connectionStrings) + " with their keys).");
            return new Azurite(null, DEFAULT_PORTS.get(0), DEFAULT_PORTS.get(1), DEFAULT_PORTS.get(2));
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Port(s) " + busy + " are taken, but Azurite needs all of 10000-10002:"
                    + " stop the program that holds them");
        }
        Path script = script(root);
        if (!Files.isRegularFile(script)) {
            out.println("Storage: Azurite is not installed; running npm ci in " + root + " ...");
            runNpmCi(root);
        }
        Path data = root.resolve(".azurite");
        Path log = data.resolve("azurite.log");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + data + ": " + e.getMessage(), e);
        }
        Azurite azurite = launch(script, List.of("--location", data.toString(), "--blobPort", DEFAULT_PORTS.get(0).toString(),
                "--queuePort", DEFAULT_PORTS.get(1).toString(), "--tablePort", DEFAULT_PORTS.get(2).toString()), accounts, log);
        out.println("Storage: started Azurite on ports 10000-10002, data in " + data + " (log: " + root.relativize(log) + ")");
        return azurite;
    }

    /** AZURITE_ACCOUNTS ("name:key;name2:key2") for the accounts the connection strings name. */
    public static String accounts(List<String> connectionStrings) {
        return connectionStrings.stream().map(Azurite::account).distinct().collect(Collectors.joining(";"));
    }

    private static String accountNames(List<String> connectionStrings) {
        return connectionStrings.stream().map(c -> account(c).split(":")[0]).distinct().collect(Collectors.joining(";"));
    }

    private static String account(String connectionString) {
        Map<String, String> parts = new HashMap<>();
        for (String part : connectionString.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
            }
        }
        if ("true".equalsIgnoreCase(parts.get("UseDevelopmentStorage"))) {
            return ACCOUNT_NAME + ":" + ACCOUNT_KEY;
        }
        if (!parts.containsKey("AccountName") || !parts.containsKey("AccountKey")) {
            // The connection string holds a key: the message names the fields only.
            throw new IllegalArgumentException("A stamp's AzureWebJobsStorage for Azurite must be UseDevelopmentStorage=true"
                    + " or name AccountName and AccountKey");
        }
        return parts.get("AccountName") + ":" + parts.get("AccountKey");
    }

    private static Path script(Path root) {
        return root.resolve("node_modules/azurite/dist/src/azurite.js");
    }

    /** @param log where Azurite's output goes once it listens; null drops it */
    private static Azurite launch(Path script, List<String> options, String accounts, Path log) {
        List<String> command = new ArrayList<>(List.of(executable("node"), script.toString()));
        command.addAll(options);
        command.addAll(List.of("--skipApiVersionCheck", "--disableTelemetry"));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("AZURITE_ACCOUNTS", accounts);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Azurite with Node.js: " + e.getMessage(), e);
        }
        try {
            int[] ports = awaitPorts(process, log);
            return new Azurite(process, ports[0], ports[1], ports[2]);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads Azurite's start-up lines until all three services name their port; keeps draining (into the log) afterwards. */
    private static int[] awaitPorts(Process process, Path log) {
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            int[] found = {-1, -1, -1};
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer kept = log == null ? Writer.nullWriter() : Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    kept.write(line + System.lineSeparator());
                    kept.flush();
                    if (!ports.isDone()) {
                        synchronized (output) {
                            output.add(line);
                        }
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            int port = Integer.parseInt(m.group(2));
                            switch (m.group(1)) {
                                case "Blob" -> found[0] = port;
                                case "Queue" -> found[1] = port;
                                default -> found[2] = port;
                            }
                            if (found[0] > 0 && found[1] > 0 && found[2] > 0) {
                                ports.complete(found);
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process ended; the wait below reports it.
            }
            ports.completeExceptionally(new IllegalStateException("Azurite exited before listening"));
        }, "azurite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return ports.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Azurite", e);
        } catch (ExecutionException | TimeoutException e) {
            String seen;
            synchronized (output) {
                seen = String.join("\n", output);
            }
            throw new IllegalStateException("Azurite did not start within " + START_TIMEOUT.toSeconds()
                    + " s. Its output:\n" + seen, e);
        }
    }

    private static void runNpmCi(Path root) {
        try {
            Process npm = new ProcessBuilder(executable("npm"), "ci", "--no-audit", "--no-fund")
                    .directory(root.toFile())
                    .inheritIO()
                    .start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm ci failed in " + root + " (exit code " + npm.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run npm ci: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running npm ci", e);
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not on PATH: install Node.js 18 or later to run Azurite");
    }

    public int blobPort() {
        return blobPort;
    }

    public int queuePort() {
        return queuePort;
    }

    public int tablePort() {
        return tablePort;
    }

    /** A connection string in the shape Azure Functions expects for AzureWebJobsStorage. */
    public String connectionString() {
        return connectionString(ACCOUNT_NAME, ACCOUNT_KEY);
    }

    /** The same for {@link #SECOND_ACCOUNT_NAME}: storage that shares nothing with the default account's. */
    public String secondAccountConnectionString() {
        return connectionString(SECOND_ACCOUNT_NAME, SECOND_ACCOUNT_KEY);
    }

    private String connectionString(String account, String key) {
        return "DefaultEndpointsProtocol=http;AccountName=" + account + ";AccountKey=" + key
                + ";BlobEndpoint=http://127.0.0.1:" + blobPort + "/" + account
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/" + account
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/" + account + ";";
    }

    /** Whether the process this started still runs; false for a reused emulator, which is not this one's to watch. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops Azurite if this started it; a reused emulator keeps running. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
