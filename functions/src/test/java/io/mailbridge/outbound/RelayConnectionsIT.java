package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailbridge.config.Settings;
import io.mailbridge.sandbox.smtp.SmtpFault;
import io.mailbridge.sandbox.smtp.SmtpRelay;
import io.mailbridge.sandbox.smtp.SmtpRelayConfig;
import io.mailbridge.sandbox.tls.SandboxTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender's pooled relay connections: reused while sound, replaced when the relay hung up, never reused after a failure. */
class RelayConnectionsIT {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    private final SandboxTls tls = SandboxTls.generate();
    private final SmtpRelayConfig config = SmtpRelayConfig.defaults();
    private Path pem;

    @BeforeEach
    void trust() throws Exception {
        Path folder = Files.createTempDirectory("relay-connections");
        pem = folder.resolve("ca.pem");
        tls.writeTrustFiles(pem, folder.resolve("trust.p12"));
    }

    @Test
    void aConnectionTheRelayClosedWhileIdleIsReplacedAndTheMailLeavesOnce() {
        int port;
        SmtpSender sender;
        try (SmtpRelay first = SmtpRelay.start(config, tls)) {
            port = first.port();
            sender = new SmtpSender(smtp(first), Clock.systemUTC());
            assertInstanceOf(SendResult.Sent.class, sender.send(record(1), mail(1)));
        }
        // The same relay address again, a new server: the pooled connection's RSET finds it gone.
        try (SmtpRelay second = SmtpRelay.start(new SmtpRelayConfig(config.username(), config.password(), port, config.clock()), tls)) {
            assertInstanceOf(SendResult.Sent.class, sender.send(record(2), mail(2)));
            assertEquals(1, second.messages().size(), "the second mail reached the new relay once");
        }
    }

    @Test
    void afterADroppedDialogueTheNextMailGoesOnAFreshConnection() {
        try (SmtpRelay relay = SmtpRelay.start(config, tls)) {
            SmtpSender sender = new SmtpSender(smtp(relay), Clock.systemUTC());
            assertInstanceOf(SendResult.Sent.class, sender.send(record(1), mail(1)));
            relay.failNext(1, new SmtpFault.DropConnection());
            SendResult dropped = sender.send(record(2), mail(2));
            assertEquals(true, assertInstanceOf(SendResult.Retryable.class, dropped).maybeSent(), "no reply: the mail may have left");
            assertInstanceOf(SendResult.Sent.class, sender.send(record(3), mail(3)));
            assertEquals(List.of("Mail #1", "Mail #3"), relay.messages().stream().map(m -> m.subject().orElse("")).toList());
        }
    }

    private Settings.Smtp smtp(SmtpRelay relay) {
        return new Settings.Smtp(relay.host(), relay.port(), relay.username(), relay.password(), "bounces@crm.example", Optional.of(pem));
    }

    private static OutboxRecord record(int i) {
        return OutboxRecord.queued("acct", "user", "pool-" + i, "key-" + i, "f", "p", 1, "<pool-" + i + "@contoso.example>", T0);
    }

    private static OutgoingMail mail(int i) {
        return new OutgoingMail("sales@contoso.example", List.of(new OutgoingMail.Address("buyer@fabrikam.example", null)),
                List.of(), List.of(), List.of(), "Mail #" + i, "Hello " + i, null, List.of(), null, List.of());
    }
}
