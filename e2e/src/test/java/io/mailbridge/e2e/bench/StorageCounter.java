package io.mailbridge.e2e.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the storage requests a stamp makes: a loopback TCP relay in front of each Azurite endpoint
 * (blob, queue, table), counting the requests the client sends through it. Every Azure SDK request
 * carries an {@code x-ms-client-request-id} header, which no body here contains, so counting that
 * header counts requests without parsing HTTP.
 */
final class StorageCounter implements AutoCloseable {
    private static final byte[] MARKER = "x-ms-client-request-id:".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern ENDPOINT = Pattern.compile("(Blob|Queue|Table)Endpoint=http://127\\.0\\.0\\.1:(\\d+)/");

    private final AtomicLong requests = new AtomicLong();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final String connectionString;

    /** Relays every endpoint of {@code azuriteConnectionString}; {@link #connectionString()} names the relays. */
    StorageCounter(String azuriteConnectionString) {
        Matcher endpoints = ENDPOINT.matcher(azuriteConnectionString);
        StringBuilder relayed = new StringBuilder();
        while (endpoints.find()) {
            int relay = relay(Integer.parseInt(endpoints.group(2)));
            endpoints.appendReplacement(relayed, endpoints.group(1) + "Endpoint=http://127.0.0.1:" + relay + "/");
        }
        endpoints.appendTail(relayed);
        this.connectionString = relayed.toString();
    }

    String connectionString() {
        return connectionString;
    }

    long requests() {
        return requests.get();
    }

    private int relay(int target) {
        try {
            ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            listeners.add(listener);
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                        client.setTcpNoDelay(true);
                        server.setTcpNoDelay(true);
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(server);
                        }
                        pump(client.getInputStream(), server.getOutputStream(), true, server);
                        pump(server.getInputStream(), client.getOutputStream(), false, client);
                    } catch (IOException e) {
                        // Closed: the bench is over.
                    }
                }
            }, "storage-counter-" + target);
            accept.setDaemon(true);
            accept.start();
            return listener.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump(InputStream from, OutputStream to, boolean count, Socket closeWhenDone) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            int matched = 0;
            try {
                int read;
                while ((read = from.read(buffer)) > 0) {
                    if (count) {
                        for (int i = 0; i < read; i++) {
                            byte b = buffer[i];
                            byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
                            matched = lower == MARKER[matched] ? matched + 1 : (lower == MARKER[0] ? 1 : 0);
                            if (matched == MARKER.length) {
                                requests.incrementAndGet();
                                matched = 0;
                            }
                        }
                    }
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                // The other side closed.
            } finally {
                try {
                    closeWhenDone.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        }, "storage-counter-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        }
    }
}
