package io.mailbridge.sandbox.smtp;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.Socket;
import javax.net.ssl.SSLContext;

/** GreenMail's SMTP server on loopback, its sessions run by {@link RelayHandler}. */
final class RelayServer extends SmtpServer {
    private final RelayManager manager;
    private final SSLContext tls;

    RelayServer(String host, int port, RelayManager manager, SSLContext tls) {
        // GreenMail's server keeps Managers only to build handlers, which this class does itself.
        super(new ServerSetup(port, host, ServerSetup.PROTOCOL_SMTP), new Managers());
        this.manager = manager;
        this.tls = tls;
        setDaemon(true);
    }

    @Override
    protected ProtocolHandler createProtocolHandler(Socket clientSocket) {
        return new RelayHandler(manager, clientSocket, tls);
    }
}
