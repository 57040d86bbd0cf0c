package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailbridge.config.Settings;
import io.mailbridge.sandbox.smtp.SmtpRelay;
import io.mailbridge.sandbox.smtp.SmtpRelayConfig;
import io.mailbridge.sandbox.tls.SandboxTls;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Not a test: sends per second from one instance to the local SMTP relay (the sandbox's, STARTTLS and AUTH as
 * Exchange asks), the relay path alone without the outbox's storage. The pooled sender against a connection, STARTTLS
 * and AUTH per mail, as it was. Neither surefire nor failsafe picks up *Benchmark classes; run it with
 * {@code mvn -q -o -pl functions -am test -Dtest=RelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RelayBenchmark {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void measure() throws Exception {
        SandboxTls tls = SandboxTls.generate();
        Path folder = Files.createTempDirectory("relay-bench");
        Path pem = folder.resolve("ca.pem");
        tls.writeTrustFiles(pem, folder.resolve("trust.p12"));
        try (SmtpRelay relay = SmtpRelay.start(SmtpRelayConfig.defaults(), tls)) {
            Settings.Smtp smtp = new Settings.Smtp(relay.host(), relay.port(), relay.username(), relay.password(), "bounces@crm.example",
                    Optional.of(pem));
            SmtpSender pooled = new SmtpSender(smtp, Clock.systemUTC());
            Session perMail = perMailSession(smtp, tls);

            double before = rate(200, 1, i -> {
                MimeMessage message = MimeMessages.build(perMail, record(i), mail(i), T0);
                try (Transport transport = perMail.getTransport("smtp")) {
                    transport.connect(smtp.username(), smtp.password());
                    transport.sendMessage(message, message.getAllRecipients());
                }
            });
            double one = rate(1_000, 1, i -> assertInstanceOf(SendResult.Sent.class, pooled.send(record(i), mail(i))));
            double eight = rate(4_000, 8, i -> assertInstanceOf(SendResult.Sent.class, pooled.send(record(i), mail(i))));
            System.out.printf("Relay benchmark (one instance, local relay)%n"
                    + "connection + STARTTLS + AUTH per mail, 1 thread: %6.1f sends/s%n"
                    + "pooled connections, 1 thread:                    %6.1f sends/s (%.1f x)%n"
                    + "pooled connections, 8 threads:                   %6.1f sends/s (%.1f x)%n",
                    before, one, one / before, eight, eight / before);
            assertEquals(5_200, relay.messages().size(), "every mail reached the relay once");
        }
    }

    private interface Send {
        void send(int i) throws Exception;
    }

    /** Sends {@code count} mails from {@code threads} threads; returns mails per second. */
    private static double rate(int count, int threads, Send send) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        send.send(i);
                    }
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    /** The session the sender had before the pool, less what does not change the dialogue's cost. */
    private static Session perMailSession(Settings.Smtp smtp, SandboxTls tls) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", smtp.host());
        properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        properties.setProperty("mail.smtp.auth", "true");
        properties.setProperty("mail.smtp.starttls.enable", "true");
        properties.setProperty("mail.smtp.starttls.required", "true");
        properties.put("mail.smtp.ssl.socketFactory", tls.socketFactory());
        properties.setProperty("mail.smtp.from", smtp.envelopeSender());
        return Session.getInstance(properties);
    }

    private static OutboxRecord record(int i) {
        return OutboxRecord.queued("acct", "user", "bench-" + i, "key-" + i, "f", "p", 1, "<bench-" + i + "@contoso.example>", T0);
    }

    private static OutgoingMail mail(int i) {
        return new OutgoingMail("sales@contoso.example", List.of(new OutgoingMail.Address("buyer" + i + "@fabrikam.example", null)),
                List.of(), List.of(), List.of(), "Offer #" + i, "Hello " + i, null, List.of(), null, List.of());
    }
}
