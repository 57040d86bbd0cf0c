package io.mailbridge.sentsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.outbound.Transport;
import io.mailbridge.outbound.WriteBack;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test: measures the Sent-folder reconciliation on the real parts and prints the figures. Neither surefire
 * nor failsafe picks up *Benchmark classes; run it alone (it starts a sandbox of its own, with 1,000 extra mailboxes) with
 * {@code mvn -q -o -pl functions test -Dtest=SentReconciliationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Graph requests are counted by the sandbox per mailbox as HTTP requests (a JSON batch is one). Times are those of
 * the queue function's runs, as the host would make them, without the CRM's side (event delivery runs afterwards).
 */
@ExtendWith(AzuriteExtension.class)
class SentReconciliationBenchmark {
    private static final int MAILBOXES = 1_000;
    private static final int WORKERS = 8;
    private static final Logger QUIET = Logger.getLogger("io.mailbridge");

    @Test
    void measure(Azurite azurite) throws Exception {
        QUIET.setLevel(Level.WARNING);
        SandboxDirectory sample = SandboxDirectory.sample();
        List<SandboxUser> people = new ArrayList<>(sample.users());
        for (int i = 1; i <= MAILBOXES; i++) {
            String address = "bench.user" + i + "@contoso.example";
            people.add(new SandboxUser(UUID.randomUUID().toString(), SandboxDirectory.CONTOSO_TENANT_ID, "Bench User " + i, address, address,
                    List.of("SMTP:" + address), true, false));
        }
        StringBuilder report = new StringBuilder("Sent-folder reconciliation benchmark\n");
        try (SendingStack stack = SendingStack.start(azurite, new SandboxDirectory(sample.tenants(), people, sample.apps()))) {
            ReconcilingWorld world = new ReconcilingWorld(stack);
            for (int changes : new int[] {0, 10, 1_000}) {
                report.append(outlookChanges(world, changes));
            }
            for (int copies : new int[] {10, 1_000}) {
                report.append(writeBacks(world, copies));
            }
            report.append(idleMailboxes(world));
        }
        System.out.println(report);
    }

    /** One FULL 2-way mailbox whose Sent Items got {@code changes} mails to a prospect since its last run. */
    private static String outlookChanges(ReconcilingWorld world, int changes) {
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL, SyncMode.TWO_WAY);
        world.reconcile(adele);
        String subject = UniqueNames.next("outlook");
        for (int i = 0; i < changes; i++) {
            world.stack.sandbox.exchange().mailbox(adele.user().id()).saveSentCopy(NewMessage.simple(adele.address(),
                    List.of(ReconcilingWorld.prospectOf(adele)), subject + " #" + i, "Sent from Outlook"));
        }
        Run run = runJobs(world, adele);
        int delivered = world.stack.crm.eventsFor(adele.accountId(), adele.userId()).size();
        assertEquals(changes, delivered, "every change reached the CRM once");
        return String.format("1 mailbox, %,5d Sent Items changes: %d job(s), %,5d Graph requests, %,7.1f ms%n", changes, run.jobs(),
                run.requests(), run.millis());
    }

    /** One FULL 2-way mailbox with {@code copies} CRM mails sent by the relay, to be written into Sent Items (and then reported). */
    private static String writeBacks(ReconcilingWorld world, int copies) {
        SendingWorld.Mailbox joni = world.connect("joni.sherman@contoso.example", Profile.FULL, SyncMode.TWO_WAY);
        world.reconcile(joni);
        world.stack.sandbox.exchange().quota().exhaust(joni.user().id());
        String subject = UniqueNames.next("relay");
        for (int i = 0; i < copies; i++) {
            world.world.requestSend(joni, SendingWorld.mail("k" + i, ReconcilingWorld.prospectOf(joni), subject + " #" + i));
        }
        world.world.settle();
        assertEquals(copies, world.world.records().stream().filter(r -> r.userId().equals(joni.userId()) && r.accountId().equals(joni.accountId())
                && r.attempt().transport() == Transport.SMTP && r.reporting().writeBack() == WriteBack.PENDING).count());
        Run run = runJobs(world, joni);
        assertEquals(copies, world.reconciliation(joni).copiesWrittenTotal());
        return String.format("1 mailbox, %,5d relay-sent mails to write back: %d job(s), %,5d Graph requests, %,7.1f ms%n", copies,
                run.jobs(), run.requests(), run.millis());
    }

    /** Runs the mailbox's job, and the follow-up jobs it queues, until none is left. */
    private static Run runJobs(ReconcilingWorld world, SendingWorld.Mailbox mailbox) {
        SentReconciliationFunction function = world.world.app.getInstance(SentReconciliationFunction.class);
        long requests = world.graphRequests(mailbox);
        long nanos = 0;
        int jobs = 0;
        List<String> due = List.of(ReconcilingWorld.job(mailbox));
        while (!due.isEmpty()) {
            for (String job : due) {
                long started = System.nanoTime();
                function.run(job);
                nanos += System.nanoTime() - started;
                jobs++;
            }
            due = world.takeQueued();
        }
        world.world.drain();
        return new Run(jobs, world.graphRequests(mailbox) - requests, nanos / 1e6);
    }

    private record Run(int jobs, long requests, double millis) {}

    /** {@value #MAILBOXES} FULL 2-way mailboxes with no change: the timer fans out, workers run the jobs as the host would. */
    private static String idleMailboxes(ReconcilingWorld world) throws Exception {
        List<SendingWorld.Mailbox> mailboxes = new ArrayList<>();
        for (int i = 1; i <= MAILBOXES; i++) {
            mailboxes.add(world.connect("bench.user" + i + "@contoso.example", Profile.FULL, SyncMode.TWO_WAY));
        }
        world.tick();
        long requests = mailboxes.stream().mapToLong(world::graphRequests).sum();
        SentReconciliationTimerFunction timer = world.world.app.getInstance(SentReconciliationTimerFunction.class);
        long fanOutStarted = System.nanoTime();
        timer.run("timer");
        double fanOutMillis = (System.nanoTime() - fanOutStarted) / 1e6;
        List<String> idle = mailboxes.stream().map(ReconcilingWorld::job).toList();
        ConcurrentLinkedQueue<String> jobs = new ConcurrentLinkedQueue<>(world.takeQueued().stream().filter(idle::contains).toList());
        assertEquals(MAILBOXES, jobs.size());
        SentReconciliationFunction function = world.world.app.getInstance(SentReconciliationFunction.class);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService host = Executors.newFixedThreadPool(WORKERS);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(host.submit(() -> {
                    for (String job = jobs.poll(); job != null; job = jobs.poll()) {
                        long jobStarted = System.nanoTime();
                        function.run(job);
                        latencies.add(System.nanoTime() - jobStarted);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            host.shutdownNow();
        }
        double wallMillis = (System.nanoTime() - started) / 1e6;
        long made = mailboxes.stream().mapToLong(world::graphRequests).sum() - requests;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return String.format("%,d mailboxes, no change: fan-out %,.0f ms; %,d jobs on %d workers in %,.0f ms (%.1f ms per mailbox);"
                        + " job latency p50 %.1f ms, p99 %.1f ms; %,d Graph requests (%.2f per mailbox)%n", MAILBOXES, fanOutMillis,
                sorted.size(), WORKERS, wallMillis, wallMillis / MAILBOXES, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(sorted.size() * 99 / 100) / 1e6, made, (double) made / MAILBOXES);
    }
}
