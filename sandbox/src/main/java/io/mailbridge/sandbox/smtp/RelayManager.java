package io.mailbridge.sandbox.smtp;

import com.icegreen.greenmail.imap.ImapHostManagerImpl;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.store.InMemoryStore;
import com.icegreen.greenmail.user.UserManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

/**
 * GreenMail's SMTP manager with the relay's rules: only the configured credentials authenticate,
 * scheduled faults answer a message once it is read, and every message is recorded with its envelope.
 * Accepted mail is still delivered into GreenMail's store, as the plain server would.
 */
final class RelayManager extends SmtpManager {
    private final Mailroom mailroom;
    private final FaultSchedule faults;
    private final Clock clock;

    RelayManager(SmtpRelayConfig config, Mailroom mailroom, FaultSchedule faults) {
        this(new ImapHostManagerImpl(new InMemoryStore()), config, mailroom, faults);
    }

    private RelayManager(ImapHostManagerImpl store, SmtpRelayConfig config, Mailroom mailroom, FaultSchedule faults) {
        super(store, new ConfiguredCredentials(store, config));
        this.mailroom = mailroom;
        this.faults = faults;
        this.clock = config.clock();
    }

    /** GreenMail asks this after reading DATA; a non-null answer replaces its "250 OK". */
    @Override
    public String checkData(SmtpState state) {
        Optional<SmtpFault> fault = faults.take();
        if (fault.isEmpty()) {
            return null;
        }
        mailroom.refuse(new RefusedMail(RelayedMail.of(state.getMessage(), clock.instant()), fault.get()));
        return switch (fault.get()) {
            case SmtpFault.Reply reply -> reply.line();
            case SmtpFault.DropConnection drop -> throw new ConnectionDropped();
        };
    }

    @Override
    public synchronized void send(SmtpState state) {
        super.send(state);
        // Recorded before GreenMail answers 250, so a client that got its answer finds the message here.
        mailroom.accept(RelayedMail.of(state.getMessage(), clock.instant()));
    }

    /** Thrown through GreenMail's DATA command to the relay's handler, which closes the socket. */
    static final class ConnectionDropped extends RuntimeException {
        ConnectionDropped() {
            super("Dropping the connection as scheduled", null, false, false);
        }
    }

    /**
     * Accepts exactly the configured user and password (compared in constant time). GreenMail's own
     * check would also let in the users it creates for each recipient, whose password is their address.
     */
    private static final class ConfiguredCredentials extends UserManager {
        private final byte[] username;
        private final byte[] password;

        ConfiguredCredentials(ImapHostManagerImpl store, SmtpRelayConfig config) {
            super(store);
            this.username = config.username().getBytes(StandardCharsets.UTF_8);
            this.password = config.password().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean test(String userId, String password) {
            boolean userMatches = userId != null && MessageDigest.isEqual(username, userId.getBytes(StandardCharsets.UTF_8));
            boolean passwordMatches = password != null && MessageDigest.isEqual(this.password, password.getBytes(StandardCharsets.UTF_8));
            return userMatches & passwordMatches;
        }
    }
}
