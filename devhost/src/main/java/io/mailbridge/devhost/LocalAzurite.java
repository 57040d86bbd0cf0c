package io.mailbridge.devhost;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Azurite on its default ports (blob 10000, queue 10001, table 10002), where
 * "UseDevelopmentStorage=true" expects it, with its data kept under {@code <root>/.azurite}.
 * An emulator already listening there is reused; otherwise the pinned npm package is started
 * (after {@code npm ci} when it is not installed) and stopped again on close. The storage accounts it serves
 * are those the stamps' connection strings name (AZURITE_ACCOUNTS), so each stamp has its own.
 */
final class LocalAzurite implements AutoCloseable {
    private static final List<Integer> PORTS = List.of(10000, 10001, 10002);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Azurite's well-known development account, which "UseDevelopmentStorage=true" means; not a secret. */
    private static final String DEVELOPMENT_ACCOUNT = "devstoreaccount1:"
            + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** Null when an emulator that was already running is reused. */
    private final Process process;

    private LocalAzurite(Process process) {
        this.process = process;
    }

    /** @param connectionStrings the stamps' AzureWebJobsStorage, each naming the account Azurite must serve */
    static LocalAzurite startOrReuse(Path root, PrintStream out, List<String> connectionStrings) {
        String accounts = accounts(connectionStrings);
        List<Integer> busy = PORTS.stream().filter(LocalAzurite::isListening).toList();
        if (busy.size() == PORTS.size()) {
            out.println("Storage: something already listens on ports 10000-10002; using it as Azurite."
                    + " It must serve every stamp's account (AZURITE_ACCOUNTS=" + accountNames(connectionStrings) + " with their keys).");
            return new LocalAzurite(null);
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Port(s) " + busy + " are taken, but Azurite needs all of 10000-10002:"
                    + " stop the program that holds them");
        }
        Path script = root.resolve("node_modules/azurite/dist/src/azurite.js");
        if (!Files.isRegularFile(script)) {
            out.println("Storage: Azurite is not installed; running npm ci in " + root + " ...");
            runNpmCi(root);
        }
        Path data = root.resolve(".azurite");
        Path log = data.resolve("azurite.log");
        try {
            Files.createDirectories(data);
            ProcessBuilder builder = new ProcessBuilder(executable("node"), script.toString(), "--location", data.toString(),
                    "--blobPort", "10000", "--queuePort", "10001", "--tablePort", "10002",
                    "--skipApiVersionCheck", "--disableTelemetry")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("AZURITE_ACCOUNTS", accounts);
            Process process = builder.start();
            LocalAzurite azurite = new LocalAzurite(process);
            azurite.awaitListening(log);
            out.println("Storage: started Azurite on ports 10000-10002, data in " + data + " (log: " + root.relativize(log) + ")");
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Azurite: " + e.getMessage(), e);
        }
    }

    /** AZURITE_ACCOUNTS ("name:key;name2:key2") for the accounts the connection strings name. */
    static String accounts(List<String> connectionStrings) {
        return connectionStrings.stream().map(LocalAzurite::account).distinct().collect(Collectors.joining(";"));
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
            return DEVELOPMENT_ACCOUNT;
        }
        if (!parts.containsKey("AccountName") || !parts.containsKey("AccountKey")) {
            // The connection string holds a key: the message names the fields only.
            throw new IllegalArgumentException("A stamp's AzureWebJobsStorage for Azurite must be UseDevelopmentStorage=true"
                    + " or name AccountName and AccountKey");
        }
        return parts.get("AccountName") + ":" + parts.get("AccountKey");
    }

    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!PORTS.stream().allMatch(LocalAzurite::isListening)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Azurite did not start listening on 10000-10002 within "
                        + START_TIMEOUT.toSeconds() + " s. Its log:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while starting Azurite", e);
            }
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
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not on PATH: install Node.js 18 or later to run Azurite");
    }

    /** Stops Azurite if this run started it. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
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
