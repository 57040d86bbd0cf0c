package io.mailbridge.devhost;

import io.mailbridge.sandbox.SandboxMain;
import io.mailbridge.testkit.Azurite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Runs Mailbridge locally, as {@code func start} would: reads {@code <root>/local.settings.json}
 * (the US stamp) and {@code <root>/local.settings.eu.json} (the EU stamp's overrides of it), each created from
 * its sample when missing, starts Azurite (or reuses one), the Microsoft 365 sandbox and the CRM stand-in,
 * creates each stamp's tables and queues in its own storage account, and serves both stamps of the function
 * app over https (a certificate from the sandbox's CA, kept in {@code <root>/.sandbox}) on the devhost, each
 * at its file's Host.LocalHttpPort. Ctrl-C stops everything it started, in reverse order. The root is
 * {@code -Dmailbridge.root}, else the working directory.
 */
public final class LocalRun implements AutoCloseable {
    private final PrintStream out;
    /** What this run started, most recent first: closed in that order. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private LocalRun(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        logToConsole();
        Path root = Path.of(System.getProperty("mailbridge.root", "")).toAbsolutePath().normalize();
        LocalRun run = new LocalRun(System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            run.close();
            stopped.countDown();
        }, "local-run-shutdown"));
        try {
            run.start(root);
        } catch (RuntimeException e) {
            System.err.println("Mailbridge could not start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(Path root) {
        out.println("Mailbridge local run in " + root);
        LocalSettings local = LocalSettings.read(localSettings(root, "local.settings.json", "local.settings.sample.json"));
        LocalSettings eu = LocalSettings.read(localSettings(root, "local.settings.eu.json", "local.settings.eu.sample.json"));
        String usStorage = local.values().get("AzureWebJobsStorage");
        String euStorage = eu.values().get("AzureWebJobsStorage");
        if (usStorage == null || euStorage == null) {
            throw new IllegalStateException("local.settings.json and local.settings.eu.json must each set AzureWebJobsStorage");
        }
        started.push(Azurite.startOrReuse(root, out, List.of(usStorage, euStorage)));
        LocalStack.Ports standard = LocalStack.Ports.standard();
        LocalStack stack = LocalStack.start(local.values(), usStorage, eu.values(),
                new LocalStack.Ports(local.localHttpPort(), eu.localHttpPort(), standard.sandbox(), standard.crm(), standard.smtp()),
                root.resolve(".sandbox"), root.resolve("host.json"), local.keys());
        started.push(stack);

        URI app = stack.host().baseUri();
        out.println();
        out.println("US stamp, over https:        " + app.resolve("api/"));
        out.println("EU stamp, over https:        " + stack.euStamp().host().baseUri().resolve("api/")
                + " (settings: local.settings.json overlaid by local.settings.eu.json)");
        out.println("Start here, as a CRM user:   " + stack.crm().profileUrl() + " (each user goes to their account's stamp)");
        out.println("Health:                      " + app.resolve("api/health"));
        out.println("  curl --cacert " + stack.sandbox().trustedCertificateFile() + " " + app.resolve("api/health"));
        out.println("  (the sandbox's CA, kept in " + stack.sandbox().trustedCertificateFile().getParent()
                + ", signed every https certificate here; trust it once in your browser to skip the warning)");
        out.println("Deliver mail to a mailbox:   " + stack.sandbox().pagesUrl());
        out.println("What the CRM received:       " + stack.crm().baseUrl());
        out.println("Sandbox control API:         " + stack.sandbox().controlUrl());
        out.println("Custom SMTP relay:           " + stack.smtp().host() + ":" + stack.smtp().port() + " (STARTTLS)");
        out.println("Telemetry:                   below, each finished span as a 'Span' line and every 30 s the metrics"
                + " (io.mailbridge.devhost.LocalTelemetry)");
        out.println();
        out.println(SandboxMain.describe(stack.sandbox()));
        out.println("Functions:");
        stack.host().functionDescriptions().forEach(line -> out.println("  " + line));
        out.println();
        out.println("Press Ctrl-C to stop.");
    }

    /** Settings files hold secrets and are not in Git: a fresh checkout gets a copy of the sample. */
    private Path localSettings(Path root, String name, String sampleName) {
        Path settings = root.resolve(name);
        if (!Files.exists(settings)) {
            Path sample = root.resolve(sampleName);
            if (!Files.exists(sample)) {
                throw new IllegalStateException("Neither " + name + " nor " + sampleName + " is in " + root
                        + ": run from the checkout's root or set -Dmailbridge.root");
            }
            try {
                Files.copy(sample, settings);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + settings, e);
            }
            out.println("Created " + name + " from " + sampleName + "; edit it to change settings.");
        }
        return settings;
    }

    @Override
    public void close() {
        out.println("Stopping...");
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("While stopping: " + e);
            }
        }
        out.println("Mailbridge stopped.");
    }

    /** One line per record on standard output, so the host's and the functions' logs read as one stream. */
    private static void logToConsole() {
        LogManager.getLogManager().reset();
        StreamHandler console = new StreamHandler(System.out, new Formatter() {
            @Override
            public String format(LogRecord record) {
                String line = LocalTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME) + " " + record.getLevel() + " "
                        + record.getLoggerName() + ": " + formatMessage(record) + System.lineSeparator();
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line += trace;
                }
                return line;
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            /** The JVM's logging shutdown hook closes handlers; standard output must stay open for the goodbye. */
            @Override
            public synchronized void close() {
                flush();
            }
        };
        console.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(console);
    }
}
