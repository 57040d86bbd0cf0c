package io.mailbridge.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The sandbox's one HTTPS endpoint on loopback. Handlers are chosen by the longest matching path
 * prefix; a handler's exception becomes a 500 so a bug shows as an answer, not a hung client.
 */
public final class SandboxHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SandboxHttpServer.class.getName());
    /** Bodies beyond this are refused unread; the largest legitimate ones are upload-session slices and 4 MB sendMail. */
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final HttpsServer server;
    private final ExecutorService workers;
    private final List<Map.Entry<String, Handler>> routes = new ArrayList<>();
    private final String baseUrl;
    private final AtomicLong connections = new AtomicLong();

    public SandboxHttpServer(SSLContext tls, int port) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("Could not listen on loopback port " + port, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                // Called once for each new connection, before its handshake: how a test sees whether clients reuse them.
                connections.incrementAndGet();
                super.configure(parameters);
            }
        });
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sandbox-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        baseUrl = "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Routes every path that starts with the prefix to the handler; register before start. */
    public void route(String prefix, Handler handler) {
        routes.add(Map.entry(prefix, handler));
        routes.sort((a, b) -> b.getKey().length() - a.getKey().length());
    }

    public void start() {
        server.start();
    }

    /** TLS connections clients have opened to this server so far. */
    public long connectionsOpened() {
        return connections.get();
    }

    /** https://127.0.0.1:port, no trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = dispatch(exchange);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sandbox handler failed for " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), e);
                response = Response.text(500, "The sandbox failed: " + e);
            }
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                exchange.getResponseHeaders().set(header.getKey(), header.getValue());
            }
            boolean noBody = response.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    private Response dispatch(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && Long.parseLong(length) > MAX_BODY_BYTES) {
            return Response.text(413, "Request body too large");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return Response.text(413, "Request body too large");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        Request request = Request.of(exchange.getRequestMethod(), exchange.getRequestURI(), headers, body, baseUrl);
        for (Map.Entry<String, Handler> route : routes) {
            if (request.path().startsWith(route.getKey())) {
                return route.getValue().handle(request);
            }
        }
        return Response.text(404, "Nothing here: " + request.path());
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
