package io.mailbridge.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Azurite process (the npm package pinned in package-lock.json), listening on ports the
 * operating system picked, with nothing persisted. Start one with {@link #start()}; close it to stop.
 */
public final class Azurite implements AutoCloseable {
    /** Azurite's well-known development account; not a secret. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** A second account in the same emulator, as a second stamp's own storage account; a local key, not a secret. */
    public static final String SECOND_ACCOUNT_NAME = "mailbridgeeu";
    public static final String SECOND_ACCOUNT_KEY = "bWFpbGJyaWRnZS1ldS1zdGFtcC1sb2NhbC1henVyaXRlLWFjY291bnQta2V5LW5vdC1hLXNlY3JldC0wMTIz";

    private static final Pattern LISTENING =
            Pattern.compile("Azurite (Blob|Queue|Table) service is successfully listening at http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

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

    public static Azurite start() {
        Path script = ProjectRoot.resolve("node_modules/azurite/dist/src/azurite.js");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("Azurite is not installed at " + script
                    + ": run `npm ci` in " + ProjectRoot.path() + " (mvn verify does this when node_modules is missing)");
        }
        List<String> command = List.of(node(), script.toString(),
                "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent");
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // Naming accounts replaces Azurite's default one, so the list keeps it.
            builder.environment().put("AZURITE_ACCOUNTS",
                    ACCOUNT_NAME + ":" + ACCOUNT_KEY + ";" + SECOND_ACCOUNT_NAME + ":" + SECOND_ACCOUNT_KEY);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Azurite with Node.js: " + e.getMessage(), e);
        }
        try {
            int[] ports = awaitPorts(process);
            return new Azurite(process, ports[0], ports[1], ports[2]);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("Node.js is not on PATH: install Node.js 18 or later to run Azurite for the tests");
    }

    /** Reads Azurite's start-up lines until all three services name their port; keeps draining afterwards. */
    private static int[] awaitPorts(Process process) {
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            int[] found = {-1, -1, -1};
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
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

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
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
