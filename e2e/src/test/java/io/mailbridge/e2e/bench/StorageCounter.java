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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the storage requests a stamp makes: a loopback TCP relay in front of each Azurite endpoint
 * (blob, queue, table), counting the requests the client sends through it, in total and per service. Every
 * Azure SDK request carries an {@code x-ms-client-request-id} header, which no body here contains, so counting
 * that header counts requests without parsing HTTP. On the queue relay it also counts Put Message requests
 * ({@code POST .../messages}, the one queue operation that adds a message), by their request line.
 */
final class StorageCounter implements AutoCloseable {
    /** The storage services, as the connection string names their endpoints. */
    enum Service { Blob, Queue, Table }

    private static final byte[] MARKER = "x-ms-client-request-id:".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern ENDPOINT = Pattern.compile("(Blob|Queue|Table)Endpoint=http://127\\.0\\.0\\.1:(\\d+)/");
    private static final int REQUEST_LINE_LIMIT = 256;
    private static final Pattern PUT_MESSAGE = Pattern.compile("POST /[^ ?]*/messages[ ?].*");

    private final AtomicLong requests = new AtomicLong();
    private final Map<Service, AtomicLong> byService = new EnumMap<>(Service.class);
    private final AtomicLong messagesPut = new AtomicLong();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final String connectionString;

    /** Relays every endpoint of {@code azuriteConnectionString}; {@link #connectionString()} names the relays. */
    StorageCounter(String azuriteConnectionString) {
        Matcher endpoints = ENDPOINT.matcher(azuriteConnectionString);
        StringBuilder relayed = new StringBuilder();
        while (endpoints.find()) {
            Service service = Service.valueOf(endpoints.group(1));
            byService.put(service, new AtomicLong());
            int relay = relay(Integer.parseInt(endpoints.group(2)), service);
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

    /** The requests to one service; 0 for a service the connection string does not name. */
    long requests(Service service) {
        AtomicLong count = byService.get(service);
        return count == null ? 0 : count.get();
    }

    /** Put Message requests: the messages added to queues. */
    long messagesPut() {
        return messagesPut.get();
    }

    private int relay(int target, Service service) {
        try {
            ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            listeners.add(listener);
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        // Connecting on its own thread: one slow connect to Azurite must not hold every other new connection.
                        Thread.ofPlatform().daemon().name("storage-counter-connect").start(() -> connect(client, target, service));
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

    private void connect(Socket client, int target, Service service) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(server);
            }
            pump(client.getInputStream(), server.getOutputStream(), service, server);
            pump(server.getInputStream(), client.getOutputStream(), null, client);
        } catch (IOException e) {
            try {
                client.close();
            } catch (IOException closing) {
                // Closing anyway.
            }
        }
    }

    /** Relays {@code from} to {@code to}, counting requests for {@code service} (null: the answers, not counted). */
    private void pump(InputStream from, OutputStream to, Service service, Socket closeWhenDone) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            int matched = 0;
            // The start of the current line, to read request lines; reused, as the relay runs in the JVM it measures.
            StringBuilder line = new StringBuilder(REQUEST_LINE_LIMIT);
            try {
                int read;
                while ((read = from.read(buffer)) > 0) {
                    if (service != null) {
                        for (int i = 0; i < read; i++) {
                            byte b = buffer[i];
                            byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
                            matched = lower == MARKER[matched] ? matched + 1 : (lower == MARKER[0] ? 1 : 0);
                            if (matched == MARKER.length) {
                                requests.incrementAndGet();
                                byService.get(service).incrementAndGet();
                                matched = 0;
                            }
                            if (service == Service.Queue) {
                                readLine(line, b);
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

    /**
     * Feeds one byte of the queue relay's request stream; counts a Put Message request line when it ends. Allocates
     * nothing per line: the relay shares the JVM (and its garbage collector) with the servers the bench measures.
     */
    private void readLine(StringBuilder line, byte b) {
        if (b == '\n') {
            if (line.length() > 5 && line.charAt(0) == 'P' && line.charAt(1) == 'O' && PUT_MESSAGE.matcher(line).lookingAt()) {
                messagesPut.incrementAndGet();
            }
            line.setLength(0);
        } else if (line.length() < REQUEST_LINE_LIMIT) {
            line.append((char) b);
        }
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
