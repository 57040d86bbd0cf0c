package io.mailbridge.sandbox.smtp;

import io.mailbridge.sandbox.tls.SandboxTls;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The CRM's custom SMTP relay: a real GreenMail SMTP server on loopback that, like the production
 * relay, insists on STARTTLS and AUTH (PLAIN or LOGIN) before it takes mail. It records every
 * message with its envelope and can be told to refuse messages or drop the connection.
 *
 * <pre>{@code
 * try (SmtpRelay relay = SmtpRelay.start()) {
 *     // point Angus Mail at relay.host():relay.port() with relay.username()/relay.password(),
 *     // STARTTLS required, trusting relay.tls().certificatePem()
 *     relay.failNext(1, SmtpFault.quotaExceeded());
 *     RelayedMail mail = relay.awaitMessage(m -> m.envelopeRecipients().contains("a@x.test"), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class SmtpRelay implements AutoCloseable {
    /** The relay listens on IPv4 loopback only. */
    public static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final SmtpRelayConfig config;
    private final SandboxTls tls;
    private final Mailroom mailroom;
    private final FaultSchedule faults;
    private final RelayServer server;

    private SmtpRelay(SmtpRelayConfig config, SandboxTls tls, Mailroom mailroom, FaultSchedule faults, RelayServer server) {
        this.config = config;
        this.tls = tls;
        this.mailroom = mailroom;
        this.faults = faults;
        this.server = server;
    }

    /** Default settings and a certificate of its own. */
    public static SmtpRelay start() {
        return start(SmtpRelayConfig.defaults());
    }

    public static SmtpRelay start(SmtpRelayConfig config) {
        return start(config, SandboxTls.generate());
    }

    /** Presents {@code tls}'s certificate after STARTTLS, so one trust setting covers the whole sandbox. */
    public static SmtpRelay start(SmtpRelayConfig config, SandboxTls tls) {
        Mailroom mailroom = new Mailroom();
        FaultSchedule faults = new FaultSchedule();
        RelayServer server = new RelayServer(HOST, config.port(), new RelayManager(config, mailroom, faults),
                tls.serverContext());
        server.startService();
        try {
            if (!server.waitTillRunning(START_TIMEOUT_MILLIS)) {
                server.stopService();
                throw new IllegalStateException("The SMTP relay did not start on " + HOST + ":" + config.port());
            }
        } catch (InterruptedException e) {
            server.stopService();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the SMTP relay", e);
        }
        return new SmtpRelay(config, tls, mailroom, faults, server);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return server.getPort();
    }

    public String username() {
        return config.username();
    }

    public String password() {
        return config.password();
    }

    /** The certificate the relay presents after STARTTLS, with what clients need to trust it. */
    public SandboxTls tls() {
        return tls;
    }

    /** Messages the relay accepted (answered 250), in arrival order. */
    public List<RelayedMail> messages() {
        return mailroom.accepted();
    }

    /** Messages the relay read but answered with a fault, in arrival order. */
    public List<RefusedMail> refusals() {
        return mailroom.refused();
    }

    /** Waits until an accepted message matches and returns the first that does; fails the test at the deadline. */
    public RelayedMail awaitMessage(Predicate<? super RelayedMail> matching, Duration timeout) {
        return mailroom.awaitAccepted(1, matching, timeout).get(0);
    }

    /** Waits until at least {@code count} accepted messages match and returns all that do. */
    public List<RelayedMail> awaitMessages(int count, Predicate<? super RelayedMail> matching, Duration timeout) {
        return mailroom.awaitAccepted(count, matching, timeout);
    }

    /** Answers the next {@code count} messages with {@code fault}, after any faults queued before. */
    public void failNext(int count, SmtpFault fault) {
        faults.queue(count, fault);
    }

    /** Answers every message with {@code fault} (once queued faults are used up) until {@link #reset()}. */
    public void failUntilReset(SmtpFault fault) {
        faults.standUntilReset(fault);
    }

    /** Drops all faults: the relay accepts mail again. What it received stays recorded. */
    public void reset() {
        faults.reset();
    }

    @Override
    public void close() {
        server.stopService();
    }

    @Override
    public String toString() {
        return "SmtpRelay[" + HOST + ":" + port() + ", user " + username() + "]";
    }
}
