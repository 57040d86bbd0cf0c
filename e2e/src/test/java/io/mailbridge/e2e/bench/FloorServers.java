package io.mailbridge.e2e.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mailbridge.devhost.http.HttpOptions;
import io.mailbridge.devhost.http.HttpRequestQueue;
import io.mailbridge.devhost.runtime.HostJson;
import io.mailbridge.devhost.runtime.StartupProblems;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The least a webhook can do, served the way the devhost serves the product (JDK https server, a
 * thread per request, host.json's HTTP limits through the host's own {@link HttpRequestQueue}: 429 over
 * maxOutstandingRequests) against the same storage: read the subscription (one table query), put one
 * queue message, answer 202. {@link #drained} adds a consumer that empties the queue the way the host's
 * queue trigger does (fetch up to 16, delete each), so the floor also pays for the consumer's share
 * of cores and storage.
 */
final class FloorServers implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Thread consumer;
    private final QueueClient queue;
    private volatile boolean running = true;

    private FloorServers(SSLContext tls, TableClient subscriptions, String subscriptionPartition, QueueClient queue, boolean drained) {
        this.queue = queue;
        StartupProblems problems = new StartupProblems();
        HttpRequestQueue requests = new HttpRequestQueue(HttpOptions.from(HostJson.read(ProjectRoot.resolve("host.json")), problems));
        problems.throwIfAny();
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(handlers);
        ListEntitiesOptions lookUp = new ListEntitiesOptions().setFilter("PartitionKey eq '" + subscriptionPartition.replace("'", "''") + "'");
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean served = requests.serve(() -> {
                    try {
                        String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        subscriptions.listEntities(lookUp, null, null).forEach(entity -> { });
                        queue.sendMessage(java.util.Base64.getEncoder().encodeToString(body.substring(0, Math.min(body.length(), 2000))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                        exchange.sendResponseHeaders(202, -1);
                    } catch (RuntimeException e) {
                        exchange.sendResponseHeaders(503, -1);
                    }
                });
                if (!served) {
                    exchange.sendResponseHeaders(429, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        consumer = new Thread(() -> {
            while (running) {
                try {
                    boolean any = false;
                    for (QueueMessageItem message : queue.receiveMessages(16, Duration.ofSeconds(30), Duration.ofSeconds(30), null)) {
                        any = true;
                        queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    }
                    if (!any) {
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // Storage saturated: the consumer tries again, as the host's does.
                }
            }
        }, "floor-consumer");
        consumer.setDaemon(true);
        if (drained) {
            consumer.start();
        }
    }

    /** A floor server on storage reached through {@code storage}, reading the partition of the subscription the load names. */
    static FloorServers start(SSLContext tls, StorageClients storage, String subscriptionsTable, String subscriptionPartition,
            String queueName, boolean drained) {
        QueueClient queue = storage.queues().getQueueClient(queueName);
        queue.createIfNotExists();
        return new FloorServers(tls, storage.tables().getTableClient(subscriptionsTable), subscriptionPartition, queue, drained);
    }

    /**
     * Leaves this floor's queue as a step found it, so steps do not inherit each other's backlog: the drained floor's
     * consumer empties it (waiting up to {@code limit}), the bare floor's is cleared.
     */
    void settle(Duration limit) throws InterruptedException {
        if (!consumer.isAlive()) {
            queue.clearMessages();
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (queue.getProperties().getApproximateMessagesCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    URI uri() {
        return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        running = false;
        consumer.interrupt();
        server.stop(0);
        handlers.shutdownNow();
    }
}
