package io.mailbridge.e2e.bench;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.ProjectRoot;
import io.mailbridge.testkit.UniqueNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cost per mailbox (issue 16, item 7): on the local stack, with storage requests counted by a relay in front of the US
 * stamp's Azurite ({@link StorageCounter}, per service, and queue messages put), executions and their durations from
 * the stamp's invocation spans, and Graph requests from the sandbox's counters, it measures per mailbox per day
 * <ul>
 *   <li>(a) an idle connected mailbox: the host's queue polling over a window at rest, scaled to a day, plus one run
 *       of every timer (each invoked here, its fan-out drained by the stamp) times its runs a day by its schedule;</li>
 *   <li>(b) the same mailbox receiving and sending 200 mails a day: a scaled-down number each way, paced as mail
 *       spread over a day arrives (one at a time, not a burst that coalesces), scaled up, on top of (a);</li>
 * </ul>
 * and turns them into a monthly bill per 1,000 mailboxes ({@link CostModel}, {@link AzurePrices}). A benchmark, not a
 * test: run it with {@code mvn -B -o -pl e2e -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=CostBenchmark -Dfailsafe.failIfNoSpecifiedTests=false}. It prints a Markdown report and writes it to
 * {@code e2e/target/bench/cost.md}. Knobs: bench.costMails (each way, 20), bench.costSpacingMillis (3000),
 * bench.idleSeconds (60), bench.settleSeconds (110).
 */
class CostBenchmark {
    private static final int MAILS = Integer.getInteger("bench.costMails", 20);
    private static final int MAILS_PER_DAY = 200;
    private static final int SPACING_MILLIS = Integer.getInteger("bench.costSpacingMillis", 3_000);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 60);
    /** Long enough for every queue's polling to back off to host.json's maxPollingInterval (100 ms doubling to 60 s). */
    private static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 110);
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
    /** New Year's midnight: the stamp's own timers stay out of the measured windows; the bench runs each once itself. */
    private static final String NOT_DURING_THE_RUN = "0 0 0 1 1 *";
    private static final AttributeKey<String> INVOCATION = AttributeKey.stringKey("faas.invocation_id");
    /** Timers whose work is the stamp's, not a mailbox's: counted once per stamp, the rest per mailbox (an upper bound). */
    private static final String OPS_GAUGES = "opsGauges";
    private static final List<String> PER_STAMP_TIMERS = List.of(OPS_GAUGES, "housekeeping", "tableExport");

    private final BenchReport report = new BenchReport("cost.md");

    /** One timer function as the app declares it: its name, schedule (settings resolved) and method. */
    private record Timer(String name, String schedule, Class<?> functionClass, Method method) {}

    /**
     * What one measured window used, how long it took (to the queues' drain), how long its action took, and how many runs
     * of the stamp's own opsGauges timer (every 5 minutes, not a setting) it caught.
     */
    private record Measured(CostModel.Usage usage, Duration took, double actionSeconds, int opsGaugesRuns) {}

    @Test
    void costPerMailbox() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String setting : List.of("MAILBRIDGE_SYNC_SWEEP_SCHEDULE", "MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE",
                "MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE", "MAILBRIDGE_HOUSEKEEPING_SCHEDULE")) {
            overrides.put(setting, NOT_DURING_THE_RUN);
        }
        // Otherwise the sample settings and host.json as deployed (polling backs off to once a minute).
        try (CountedStack counted = CountedStack.start(overrides)) {
            try {
                run(counted.stack(), counted.counter());
            } finally {
                report.write();
            }
        }
    }

    private void run(Stack stack, StorageCounter counter) throws Exception {
        line("# Cost per mailbox, " + java.time.Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + " at start");
        String bicep = Files.readString(ProjectRoot.resolve("infra/modules/functionapp.bicep"));
        SandboxUser mailbox = stack.sandbox().user("joni.sherman@contoso.example");
        String account = UniqueNames.next("cost");
        Connecting connecting = new Connecting(stack);
        connecting.connect(connecting.link(account, "u1", mailbox, List.of("Connect to mailbox"), "US"), "TWO_WAY", mailbox, "accept");
        String prospect = "buyer." + account + "@buyers.example";
        MailboxApi api = new MailboxApi(stack);
        api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}");
        Meter meter = new Meter(stack, counter, mailbox);
        meter.drain();

        // (a) Idle: the host's polling at rest (per stamp), in a window without a run of the stamp's 5-minute opsGauges timer.
        Thread.sleep(Duration.ofSeconds(SETTLE_SECONDS).toMillis());
        Measured polling = meter.measure(() -> sleep(Duration.ofSeconds(IDLE_SECONDS)));
        for (int retry = 0; polling.opsGaugesRuns() > 0 && retry < 2; retry++) {
            polling = meter.measure(() -> sleep(Duration.ofSeconds(IDLE_SECONDS)));
        }
        CostModel.Usage pollingPerSecond = polling.usage().times(1000.0 / polling.took().toMillis());
        // Then one run of each timer, opsGauges first: its cost is what a window that caught the stamp's own run of it gives back.
        App direct = new App(Settings.from(stack.local().settings()), stack.sandbox().clock(), OpenTelemetry.noop());
        Map<String, CostModel.Usage> perRun = new LinkedHashMap<>();
        Map<String, Integer> runsPerDay = new LinkedHashMap<>();
        CostModel.Usage opsGaugesRun = CostModel.Usage.NONE;
        CostModel.Usage idleMailbox = CostModel.Usage.NONE;
        CostModel.Usage stampTimers = CostModel.Usage.NONE;
        for (Timer timer : timers(direct, bicep)) {
            Measured run = meter.measure(() -> invoke(direct, timer));
            if (timer.name().equals(OPS_GAUGES) && run.opsGaugesRuns() > 0) {
                run = meter.measure(() -> invoke(direct, timer));
            }
            // The timer's own execution (this JVM ran it outside the host, so no span counts it) is the stamp's; what it
            // did and fanned out is the mailbox's, unless the whole timer is the stamp's.
            CostModel.Usage own = new CostModel.Usage(0, 0, 0, 0, 1, run.actionSeconds(), 0);
            CostModel.Usage work = corrected(run, pollingPerSecond, opsGaugesRun);
            if (timer.name().equals(OPS_GAUGES)) {
                opsGaugesRun = work.plus(own);
            }
            int runs = CostModel.runsPerDay(timer.schedule());
            perRun.put(timer.name(), work.plus(own));
            runsPerDay.put(timer.name(), runs);
            boolean stamps = PER_STAMP_TIMERS.contains(timer.name());
            stampTimers = stampTimers.plus((stamps ? work.plus(own) : own).times(runs));
            idleMailbox = idleMailbox.plus((stamps ? CostModel.Usage.NONE : work).times(runs));
        }
        CostModel.Usage perStamp = pollingPerSecond.times(86_400).plus(stampTimers);

        // (b) 200 in and 200 out a day: MAILS each way, one every SPACING_MILLIS, alternating.
        Measured active = meter.measure(() -> mails(stack, api, account, mailbox, prospect));
        CostModel.Usage mailsPerDay = corrected(active, pollingPerSecond, opsGaugesRun).times(MAILS_PER_DAY / (double) MAILS);
        CostModel.Usage activeMailbox = idleMailbox.plus(mailsPerDay);

        CostModel.Deployment deployment = deployment();
        counts(perRun, runsPerDay, polling, perStamp, idleMailbox, mailsPerDay, activeMailbox);
        bill(idleMailbox, activeMailbox, perStamp, deployment);
        prices();
    }

    /** A window's usage less the host's polling over as long (measured at rest) and the stamp's own opsGauges runs it caught. */
    private static CostModel.Usage corrected(Measured measured, CostModel.Usage pollingPerSecond, CostModel.Usage opsGaugesRun) {
        return measured.usage().minus(pollingPerSecond.times(measured.took().toMillis() / 1000.0))
                .minus(opsGaugesRun.times(measured.opsGaugesRuns()));
    }

    /** One run of a timer function, as the host would call it. */
    private static void invoke(App app, Timer timer) {
        try {
            timer.method().invoke(app.getInstance(timer.functionClass()), "{\"Schedule\":{\"AdjustForDST\":true},\"IsPastDue\":false}");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("The timer " + timer.name() + " failed", e.getCause());
        }
    }

    private void mails(Stack stack, MailboxApi api, String account, SandboxUser mailbox, String prospect) {
        for (int i = 0; i < MAILS; i++) {
            stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(mailbox.userPrincipalName()),
                    "inbound " + account + " #" + i, "Body " + i));
            sleep(Duration.ofMillis(SPACING_MILLIS / 2));
            HttpResponse<String> accepted = api.call("POST", MailboxApi.mailboxPath(account, "u1") + "/sends",
                    "{\"idempotencyKey\":\"cost-" + i + "\",\"from\":\"" + mailbox.userPrincipalName() + "\",\"to\":[\"" + prospect
                            + "\"],\"subject\":\"outbound " + account + " #" + i + "\",\"text\":\"Our offer " + i + "\"}");
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("Send " + i + " was not accepted: " + accepted.statusCode() + " " + accepted.body());
            }
            sleep(Duration.ofMillis(SPACING_MILLIS / 2));
        }
        stack.crm().awaitEvents(MAILS, e -> e.accountId().equals(account) && e.data().path("subject").asText().startsWith("inbound "),
                DRAIN_LIMIT);
        stack.crm().awaitEvents(MAILS, e -> e.accountId().equals(account) && e.type().equals("send.status")
                && "SENT".equals(e.data().path("state").asText()), DRAIN_LIMIT);
    }

    /** Every timer function of the app, opsGauges first, with its schedule as deployed (app settings as functionapp.bicep sets them). */
    private static List<Timer> timers(App app, String bicep) {
        Pattern setting = Pattern.compile("%([A-Z0-9_]+)%");
        List<Timer> timers = new ArrayList<>();
        for (Class<?> functionClass : app.functionClasses()) {
            for (Method method : functionClass.getMethods()) {
                for (Parameter parameter : method.getParameters()) {
                    TimerTrigger trigger = parameter.getAnnotation(TimerTrigger.class);
                    if (trigger != null) {
                        Matcher resolved = setting.matcher(trigger.schedule());
                        String schedule = resolved.matches() ? bicepSetting(bicep, resolved.group(1)) : trigger.schedule();
                        timers.add(new Timer(method.getAnnotation(FunctionName.class).value(), schedule, functionClass, method));
                    }
                }
            }
        }
        timers.sort(Comparator.comparing((Timer timer) -> !timer.name().equals(OPS_GAUGES)).thenComparing(Timer::name));
        return timers;
    }

    /** Counts what the US stamp uses while an action runs and until every queue is empty again. */
    private record Meter(Stack stack, StorageCounter counter, SandboxUser mailbox) {
        Measured measure(Runnable action) {
            long table = counter.requests(StorageCounter.Service.Table);
            long queue = counter.requests(StorageCounter.Service.Queue);
            long blob = counter.requests(StorageCounter.Service.Blob);
            long messages = counter.messagesPut();
            long graph = stack.sandbox().graphRequests(mailbox.id());
            long startedNanos = System.nanoTime();
            long startedEpochNanos = epochNanos();
            action.run();
            double actionSeconds = (System.nanoTime() - startedNanos) / 1e9;
            drain();
            long endedEpochNanos = epochNanos();
            List<SpanData> executions = stack.local().usStamp().telemetry().spans().stream()
                    .filter(s -> s.getAttributes().get(INVOCATION) != null)
                    .filter(s -> s.getStartEpochNanos() >= startedEpochNanos && s.getEndEpochNanos() <= endedEpochNanos).toList();
            int opsGaugesRuns = (int) executions.stream().filter(s -> s.getName().equals(OPS_GAUGES)).count();
            double seconds = executions.stream().mapToLong(s -> s.getEndEpochNanos() - s.getStartEpochNanos()).sum() / 1e9;
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            return new Measured(new CostModel.Usage(counter.requests(StorageCounter.Service.Table) - table,
                    counter.requests(StorageCounter.Service.Queue) - queue, counter.requests(StorageCounter.Service.Blob) - blob,
                    counter.messagesPut() - messages, executions.size(), seconds, stack.sandbox().graphRequests(mailbox.id()) - graph),
                    took, actionSeconds, opsGaugesRuns);
        }

        /** Waits until no queue holds a message, visible or being processed (read past the relay, so not counted). */
        void drain() {
            Polling.await("every queue empty", DRAIN_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> StorageNames.QUEUES.stream()
                    .allMatch(queue -> stack.storage().queues().getQueueClient(queue).getProperties().getApproximateMessagesCount() == 0));
        }

        private static long epochNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }

    private void counts(Map<String, CostModel.Usage> perRun, Map<String, Integer> runsPerDay, Measured polling, CostModel.Usage perStamp,
            CostModel.Usage idleMailbox, CostModel.Usage mailsPerDay, CostModel.Usage activeMailbox) {
        line("");
        line("## Counted per day (US stamp, one connected two-way mailbox)");
        line("");
        line(String.format(Locale.ROOT, "Polling at rest measured over %.0f s after %d s at rest; each timer run once, its fan-out drained, "
                + "the polling over as long subtracted; %d mails each way, one every %d ms, scaled to %d a day.",
                polling.took().toMillis() / 1000.0, SETTLE_SECONDS, MAILS, SPACING_MILLIS, MAILS_PER_DAY));
        line("");
        line("| what | runs a day | table transactions | queue operations | blob operations | queue messages | executions "
                + "| execution time | Graph requests |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, CostModel.Usage> timer : perRun.entrySet()) {
            String who = PER_STAMP_TIMERS.contains(timer.getKey()) ? " (per stamp)" : "";
            row("timer " + timer.getKey() + who + " and its fan-out, per day", runsPerDay.get(timer.getKey()).toString(),
                    timer.getValue().times(runsPerDay.get(timer.getKey())));
        }
        row("queue polling at rest (per stamp), per day", "", polling.usage().times(86_400_000.0 / polling.took().toMillis()));
        row("**the stamp's own, per day**", "", perStamp);
        row("**(a) idle mailbox, per day**", "", idleMailbox);
        row("200 in + 200 out, over (a), per day", "", mailsPerDay);
        row("**(b) 200 in + 200 out mailbox, per day**", "", activeMailbox);
        line("");
        line(String.format(Locale.ROOT, "Mean execution: %.0f ms (b), measured on this machine. Each timer's own execution is the "
                + "stamp's; the work the sweep, reconciliation and renewal do and fan out counts against the one mailbox, their reads "
                + "of the connection list included (an upper bound per mailbox).",
                activeMailbox.executions() == 0 ? 0 : activeMailbox.executionSeconds() / activeMailbox.executions() * 1000));
    }

    private void row(String what, String runs, CostModel.Usage usage) {
        line(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f s | %.0f |", what, runs,
                usage.tableTransactions(), usage.queueTransactions(), usage.blobTransactions(), usage.queueMessages(), usage.executions(),
                usage.executionSeconds(), usage.graphRequests()));
    }

    private void bill(CostModel.Usage idle, CostModel.Usage active, CostModel.Usage perStamp, CostModel.Deployment deployment) {
        List<CostModel.Line> idleBill = CostModel.monthly(idle, perStamp, 1_000, deployment);
        List<CostModel.Line> activeBill = CostModel.monthly(active, perStamp, 1_000, deployment);
        line("");
        line(String.format(Locale.ROOT, "## Monthly cost per 1,000 mailboxes on one stamp (USD, list prices of %s; %.0f GB instances, "
                + "%d always ready; 730-hour month; before free grants)", "AzurePrices.java", deployment.instanceMemoryGb(),
                deployment.alwaysReadyInstances()));
        line("");
        line("| cost item | (a) idle: quantity | (a) idle | (b) 200 in + 200 out: quantity | (b) 200 in + 200 out |");
        line("|---|---|---|---|---|");
        for (int i = 0; i < idleBill.size(); i++) {
            CostModel.Line a = idleBill.get(i);
            CostModel.Line b = activeBill.get(i);
            line(String.format(Locale.ROOT, "| %s | %s %s | %s | %s %s | %s |", a.item(), quantity(a.quantity()), a.unit(),
                    CostModel.money(a.usd()), quantity(b.quantity()), b.unit(), CostModel.money(b.usd())));
        }
        line(String.format(Locale.ROOT, "| **total** | | **%s** | | **%s** |", CostModel.money(CostModel.total(idleBill)),
                CostModel.money(CostModel.total(activeBill))));
        line("");
        line(String.format(Locale.ROOT, "Application Insights is an estimate: items (per execution a request and %d host traces; a "
                + "dependency per Graph request, table request and queue message) at an assumed %.0f bytes each, not measured; the app's "
                + "own log lines are not counted. Graph mail requests cost nothing per call (Microsoft Learn, metered APIs).",
                CostModel.TRACES_PER_EXECUTION, CostModel.BYTES_PER_TELEMETRY_ITEM));
    }

    private void prices() {
        line("");
        line("## Prices used (e2e/src/test/java/io/mailbridge/e2e/bench/AzurePrices.java)");
        line("");
        line("| item | price | source | status |");
        line("|---|---|---|---|");
        for (AzurePrices.Price price : AzurePrices.ALL) {
            line(String.format(Locale.ROOT, "| %s | $%s per %s | %s | %s |", price.item(), java.math.BigDecimal.valueOf(price.usd())
                    .stripTrailingZeros().toPlainString(), price.per(), price.source(), price.status()));
        }
    }

    private static String quantity(double value) {
        return value >= 1_000_000 ? String.format(Locale.ROOT, "%.1f M", value / 1e6)
                : value >= 1_000 ? String.format(Locale.ROOT, "%.0f k", value / 1e3) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** The stamp's instance memory and always ready HTTP instances, as infra/main.bicep deploys it by default. */
    private static CostModel.Deployment deployment() throws IOException {
        String bicep = Files.readString(ProjectRoot.resolve("infra/main.bicep"));
        return new CostModel.Deployment(bicepDefault(bicep, "instanceMemoryMB") / 1024.0, bicepDefault(bicep, "httpAlwaysReadyInstanceCount"));
    }

    private static int bicepDefault(String bicep, String parameter) {
        Matcher declared = Pattern.compile("param " + parameter + " int = (\\d+)").matcher(bicep);
        if (!declared.find()) {
            throw new IllegalStateException("infra/main.bicep declares no default for " + parameter);
        }
        return Integer.parseInt(declared.group(1));
    }

    /** An app setting's value as infra/modules/functionapp.bicep sets it ({@code NAME: 'value'}). */
    private static String bicepSetting(String bicep, String name) {
        Matcher set = Pattern.compile("\\b" + name + ": '([^']*)'").matcher(bicep);
        if (!set.find()) {
            throw new IllegalStateException("infra/modules/functionapp.bicep sets no " + name);
        }
        return set.group(1);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void line(String text) {
        report.line(text);
    }
}
