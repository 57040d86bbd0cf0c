package io.mailbridge.sandbox.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A bare SMTP client over a socket, for protocol details a mail library hides. */
final class SmtpDialogue implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    SmtpDialogue(SmtpRelay relay) throws IOException {
        socket = new Socket(relay.host(), relay.port());
        socket.setSoTimeout(10_000);
        attach();
    }

    private void attach() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
    }

    /** Reads one reply, joining the lines of a multi-line reply with newlines. */
    String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("The relay closed the connection after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return String.join("\n", lines);
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    void startTls(SSLContext trust, String host) throws IOException {
        SSLSocket upgraded = (SSLSocket) trust.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        upgraded.startHandshake();
        socket = upgraded;
        attach();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
