package io.mailbridge.outbound.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.outbound.OutboundMailFunction;
import io.mailbridge.outbound.OutboxRecord;
import io.mailbridge.outbound.SendState;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.outbound.Transport;
import io.mailbridge.sandbox.exchange.SendingLimits;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test: measures the sender on the real parts and prints the figures. Neither surefire nor
 * failsafe picks up *Benchmark classes; run it with
 * {@code mvn -q -o -pl functions test -Dtest=OutboundBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Throughput is measured from the first queue message taken to the last send recorded SENT, with
 * workers playing the Functions host (each takes a batch from Azurite and runs the queue function).
 * The mailbox is measured with Exchange's pace and quota lifted in both the sandbox and the app: with
 * the real 30 messages a minute the mailbox path is paced to 0.5 sends per second by design.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboundBenchmark {
    private static final int MAILS = 300;
    private static final Logger QUIET = Logger.getLogger("io.mailbridge");

    @Test
    void measure(SendingStack stack) throws Exception {
        QUIET.setLevel(Level.WARNING);
        StringBuilder report = new StringBuilder("Outbound benchmark (" + MAILS + " single-recipient mails per run)\n");

        for (int workers : new int[] {1, 8}) {
            SendingWorld world = new SendingWorld(stack);
            SendingWorld.Mailbox restricted = world.connect("alex.wilber@contoso.example", Profile.RESTRICTED);
            double perSecond = throughput(world, restricted, workers);
            report.append(String.format("queue -> SMTP relay (RESTRICTED), %d worker(s): %.1f sends/s%n", workers, perSecond));
        }

        stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline().withRecipientsPerDay(1_000_000).withMessagesPerMinute(1_000_000));
        try {
            for (int workers : new int[] {1, 4}) {
                stack.sandbox.clock().advance(Duration.ofHours(25));
                SendingWorld world = new SendingWorld(stack, Map.of("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY", "1000000",
                        "MAILBRIDGE_SEND_MESSAGES_PER_MINUTE", "10000"));
                SendingWorld.Mailbox full = world.connect("adele.vance@contoso.example", Profile.FULL);
                double perSecond = throughput(world, full, workers);
                report.append(String.format("queue -> sandbox mailbox (FULL, Graph sendMail), %d worker(s): %.1f sends/s%n", workers, perSecond));
            }
        } finally {
            stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline());
        }

        report.append(switches(stack));
        System.out.println(report);
    }

    private static double throughput(SendingWorld world, SendingWorld.Mailbox mailbox, int workers) throws Exception {
        String run = UniqueNames.next("bench");
        for (int i = 0; i < MAILS; i++) {
            world.requestSend(mailbox, SendingWorld.mail("b" + i, "reader" + i + "@prospects.example", run + " #" + i));
        }
        long started = System.nanoTime();
        drainWith(world, workers);
        long elapsed = System.nanoTime() - started;
        List<OutboxRecord> records = world.records();
        assertEquals(MAILS, records.stream().filter(r -> r.state() == SendState.SENT).count(), "every mail sent, none waiting");
        world.drain();
        return MAILS / (elapsed / 1e9);
    }

    /** Workers take outbound-mail messages from Azurite and run the queue function, as the host would, until the queue is empty. */
    private static void drainWith(SendingWorld world, int workers) throws Exception {
        QueueClient queue = world.stack.storage.queues().getQueueClient(StorageNames.OUTBOUND_MAIL_QUEUE);
        OutboundMailFunction function = world.app.getInstance(OutboundMailFunction.class);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    boolean took = true;
                    while (took) {
                        took = false;
                        for (QueueMessageItem message : queue.receiveMessages(Math.max(1, 16 / workers), Duration.ofMinutes(5), null, null)) {
                            took = true;
                            function.run(message.getBody().toString());
                            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** How long the send that meets a spent quota takes to leave by the relay, and the first one back through the mailbox. */
    private static String switches(SendingStack stack) {
        StringBuilder lines = new StringBuilder();
        stack.sandbox.clock().advance(Duration.ofHours(25));
        stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline().withRecipientsPerDay(5));
        try {
            // Counted: the app knows the limit (5) and routes the sixth mail to the relay without asking Exchange.
            SendingWorld counted = new SendingWorld(stack, Map.of("MAILBRIDGE_SEND_RECIPIENTS_PER_DAY", "5"));
            SendingWorld.Mailbox adele = counted.connect("adele.vance@contoso.example", Profile.FULL);
            List<Long> countedMillis = timedSends(counted, adele, 6);
            lines.append(String.format("switch to the relay, counted: normal mailbox send %d ms, the switching send %d ms%n",
                    median(countedMillis.subList(0, 5)), countedMillis.get(5)));
            // Reported: the app counts 10,000 but Exchange's limit is 5; Graph's ErrorQuotaExceeded makes the switch.
            stack.sandbox.clock().advance(Duration.ofHours(25));
            SendingWorld reported = new SendingWorld(stack);
            SendingWorld.Mailbox adeleAgain = reported.connect("adele.vance@contoso.example", Profile.FULL);
            List<Long> reportedMillis = timedSends(reported, adeleAgain, 7);
            lines.append(String.format("switch to the relay, reported by Exchange: the switching send %d ms (refusal + quota mark + relay),"
                    + " the next send %d ms%n", reportedMillis.get(5), reportedMillis.get(6)));
            reported.clock.advance(Duration.ofHours(24).plusMinutes(2));
            List<Long> back = timedSends(reported, adeleAgain, 1);
            lines.append(String.format("switch back to the mailbox once the window freed: first send %d ms%n", back.get(0)));
            assertEquals(Transport.MAILBOX, reported.records().get(reported.records().size() - 1).attempt().transport());
        } finally {
            stack.sandbox.exchange().quota().limits(SendingLimits.exchangeOnline());
        }
        return lines.toString();
    }

    /** Sends one mail at a time and times the queue function's run for each (dequeue excluded). */
    private static List<Long> timedSends(SendingWorld world, SendingWorld.Mailbox mailbox, int count) {
        QueueClient queue = world.stack.storage.queues().getQueueClient(StorageNames.OUTBOUND_MAIL_QUEUE);
        OutboundMailFunction function = world.app.getInstance(OutboundMailFunction.class);
        List<Long> millis = new ArrayList<>();
        String run = UniqueNames.next("switch");
        for (int i = 0; i < count; i++) {
            world.requestSend(mailbox, SendingWorld.mail(run + i, "switch" + i + "@prospects.example", run + " #" + i));
            for (QueueMessageItem message : queue.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                long started = System.nanoTime();
                function.run(message.getBody().toString());
                millis.add((System.nanoTime() - started) / 1_000_000);
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
        world.drain();
        return millis;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
