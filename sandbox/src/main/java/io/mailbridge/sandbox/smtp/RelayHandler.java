package io.mailbridge.sandbox.smtp;

import com.icegreen.greenmail.smtp.SmtpConnection;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.smtp.commands.SmtpCommand;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import java.io.IOException;
import java.net.Socket;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP session, run by GreenMail's command implementations, with what a submission relay such as
 * smtp.office365.com adds in front of them: STARTTLS (RFC 3207), AUTH only over TLS and only PLAIN or
 * LOGIN, and MAIL only once authenticated. The reply texts follow Exchange Online's.
 */
final class RelayHandler extends SmtpHandler {
    private final SSLContext tls;
    private boolean secured;

    RelayHandler(RelayManager manager, Socket socket, SSLContext tls) {
        super(new SmtpCommandRegistry(), manager, socket);
        this.tls = tls;
    }

    @Override
    protected void handleCommand() throws IOException {
        currentLine = conn.readLine();
        if (currentLine == null) {
            close();
            return;
        }
        String[] words = currentLine.trim().split(" +");
        switch (words[0].toUpperCase(Locale.ROOT)) {
            case "STARTTLS" -> startTls(words);
            case "EHLO" -> greet(words, true);
            case "HELO" -> greet(words, false);
            case "AUTH" -> authenticate(words);
            case "MAIL" -> mailFrom();
            default -> execute();
        }
    }

    private void greet(String[] words, boolean extended) {
        conn.setHeloName(words.length > 1 ? words[1] : null);
        state.clearMessage();
        String name = conn.getServerGreetingsName();
        if (!extended) {
            conn.send("250 " + name);
        } else if (secured) {
            conn.send("250-" + name);
            conn.send("250 AUTH PLAIN LOGIN");
        } else {
            conn.send("250-" + name);
            conn.send("250 STARTTLS");
        }
    }

    private void startTls(String[] words) throws IOException {
        if (words.length != 1) {
            conn.send("501 5.5.4 Syntax: STARTTLS");
            return;
        }
        if (secured) {
            conn.send("503 5.5.1 TLS already active");
            return;
        }
        conn.send("220 2.0.0 SMTP server ready");
        SSLSocket upgraded = (SSLSocket) tls.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        upgraded.setUseClientMode(false);
        try {
            upgraded.startHandshake();
        } catch (IOException handshakeFailed) {
            close(); // the client does not trust the certificate, or gave up
            return;
        }
        // RFC 3207: everything learnt before TLS, HELO name and authentication included, is forgotten.
        conn = new SmtpConnection(this, upgraded);
        state = new SmtpState();
        secured = true;
    }

    private void authenticate(String[] words) throws IOException {
        if (!secured) {
            conn.send("530 5.7.0 Must issue a STARTTLS command first");
        } else if (words.length < 2 || !(words[1].equalsIgnoreCase("PLAIN") || words[1].equalsIgnoreCase("LOGIN"))) {
            conn.send("504 5.7.4 Unrecognized authentication type");
        } else {
            execute();
        }
    }

    private void mailFrom() throws IOException {
        if (conn.isAuthenticated()) {
            execute();
        } else {
            conn.send("530 5.7.57 Client not authenticated to send mail");
        }
    }

    /** Runs the line with GreenMail's own command, as its handler would. */
    private void execute() throws IOException {
        if (!commandLegalSize()) {
            return;
        }
        SmtpCommand command = registry.getCommand(currentLine.substring(0, 4).toUpperCase(Locale.ROOT));
        if (command == null) {
            conn.send("500 Command not recognized");
            return;
        }
        try {
            command.execute(conn, state, manager, currentLine);
        } catch (RelayManager.ConnectionDropped scheduled) {
            close();
        }
    }
}
