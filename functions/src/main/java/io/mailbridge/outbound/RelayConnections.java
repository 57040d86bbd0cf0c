package io.mailbridge.outbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A bounded pool of connected, authenticated relay connections for one instance: the STARTTLS handshake
 * and AUTH are paid once per connection, not once per mail. A connection is checked with RSET before it
 * is used again ({@code mail.smtp.userset}), dropped after {@link #MAX_IDLE} unused (relays close idle
 * sessions), and closed, never returned, after any failure, so no later mail meets a dialogue in an
 * unknown state.
 */
final class RelayConnections {
    /** Connections one instance holds open at most; a sender finding all in use waits for one. */
    static final int MAX_CONNECTIONS = 16;
    /** Longer unused than this, a connection is closed rather than checked: relays drop idle sessions after a minute or so. */
    static final Duration MAX_IDLE = Duration.ofSeconds(30);

    /** Sends on a connection; a failure closes that connection. */
    interface Dialogue {
        void run(Transport transport) throws MessagingException;
    }

    private record Idle(Transport transport, Instant since) {}

    private final Session session;
    private final String username;
    private final String password;
    private final Clock clock;
    private final Semaphore open = new Semaphore(MAX_CONNECTIONS, true);
    private final Deque<Idle> idle = new ArrayDeque<>();

    RelayConnections(Session session, String username, String password, Clock clock) {
        this.session = session;
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    /**
     * Runs the dialogue on a pooled connection, or a new one when none is idle and sound. A failure to
     * connect or authenticate is thrown as it is, so the caller can tell "never connected" apart.
     */
    void send(Dialogue dialogue) throws MessagingException {
        try {
            open.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("Interrupted while waiting for a relay connection", e);
        }
        try {
            Transport transport = reusable().orElse(null);
            if (transport == null) {
                transport = session.getTransport("smtp");
                transport.connect(username, password);
            }
            try {
                dialogue.run(transport);
            } catch (MessagingException | RuntimeException e) {
                closeQuietly(transport);
                throw e;
            }
            synchronized (idle) {
                idle.push(new Idle(transport, clock.instant()));
            }
        } finally {
            open.release();
        }
    }

    /** The most recently used idle connection that answers RSET; stale or silent ones are closed on the way. */
    private Optional<Transport> reusable() {
        while (true) {
            Idle candidate;
            synchronized (idle) {
                candidate = idle.poll();
            }
            if (candidate == null) {
                return Optional.empty();
            }
            boolean fresh = Duration.between(candidate.since(), clock.instant()).compareTo(MAX_IDLE) < 0;
            // isConnected() sends RSET (mail.smtp.userset) and closes the transport itself when the reply is not 250.
            if (fresh && candidate.transport().isConnected()) {
                return Optional.of(candidate.transport());
            }
            closeQuietly(candidate.transport());
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // Closing a connection that broke can fail too; it is gone either way.
        }
    }
}
