package io.mailbridge.devhost.http;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mailbridge.devhost.runtime.InvocationResult;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.devhost.runtime.Json;
import io.mailbridge.devhost.runtime.TriggerInput;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Serves the HTTP-triggered functions with the JDK's HTTP(S) server on 127.0.0.1: 404 for a path no
 * route matches, 405 (with Allow) for a method no matching route declares, 401 without a key that
 * the function's authorization level accepts, and 500 with a generic body when the function fails. Every request
 * goes through the host's request queue ({@link HttpOptions}), as in the host, whose throttle sits before routing for
 * all requests but its admin API (which this host does not serve): 429 when too many are outstanding.
 */
public final class HttpFunctionServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpFunctionServer.class.getName());
    private static final String HTTP_REASON = "This function was programmatically called via the host APIs.";
    /** The host manages these itself; a function cannot set them. */
    private static final Set<String> HOST_HEADERS = Set.of("content-length", "transfer-encoding", "connection");
    private static final byte[] NO_BODY = {};

    private final HttpTriggers triggers;
    private final KeyCheck keys;
    private final FunctionInvoker invoker;
    private final long maxRequestBytes;
    private final HttpOptions limits;
    private final HttpRequestQueue queue;
    private final ExecutorService handlers;
    private final HttpServer server;
    private final String scheme;
    private final Object lock = new Object();
    private int inFlight;
    private boolean closing;

    /** @param tls serves https with it; null serves plain http */
    HttpFunctionServer(HttpTriggers triggers, int port, SSLContext tls, KeyCheck keys, FunctionInvoker invoker, long maxRequestBytes,
            HttpOptions limits) throws IOException {
        this.triggers = triggers;
        this.keys = keys;
        this.invoker = invoker;
        this.maxRequestBytes = maxRequestBytes;
        this.limits = limits;
        this.queue = new HttpRequestQueue(limits);
        AtomicInteger threads = new AtomicInteger();
        this.handlers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "devhost-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, limits.listenBacklog());
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, limits.listenBacklog());
        }
        this.scheme = tls != null ? "https" : "http";
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** "https" or "http" */
    public String scheme() {
        return scheme;
    }

    /** Stops taking requests, waits for the requests in flight to be answered, then stops listening. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            while (inFlight > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
        handlers.shutdown();
        try {
            handlers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            if (!enter()) {
                send(exchange, 503, Map.of(), NO_BODY);
                return;
            }
            try {
                if (!queue.serve(() -> dispatch(exchange))) {
                    sendTooBusy(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, 503, Map.of(), NO_BODY);
            } finally {
                exit();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not answer " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath(), e);
        }
    }

    private boolean enter() {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            inFlight++;
            return true;
        }
    }

    private void exit() {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        Optional<List<String>> path = triggers.pathBelowPrefix(exchange.getRequestURI().getRawPath());
        List<HttpTriggers.Match> matches = path.map(triggers::match).orElse(List.of());
        if (matches.isEmpty()) {
            send(exchange, 404, Map.of(), NO_BODY);
            return;
        }
        HttpMethod method = method(exchange.getRequestMethod());
        Optional<HttpTriggers.Match> match = matches.stream().filter(m -> m.route().allows(method)).findFirst();
        if (match.isEmpty()) {
            send(exchange, 405, Map.of("Allow", allowed(matches)), NO_BODY);
            return;
        }
        HttpTriggers.Route route = match.get().route();
        OptionalLong declaredLength = declaredLength(exchange);
        RequestBody<Object> requestBody = new RequestBody<>(route.binding().body(), exchange, maxRequestBytes, declaredLength);
        FunctionHttpRequest<Object> request = new FunctionHttpRequest<>(uri(exchange), method, headers(exchange.getRequestHeaders()),
                requestBody);
        if (!keys.allows(route.binding().authLevel(), route.function().name(), presentedKey(exchange, request.getQueryParameters()))) {
            send(exchange, 401, Map.of(), NO_BODY);
            return;
        }
        if (declaredLength.isPresent() && declaredLength.getAsLong() > maxRequestBytes) {
            sendTooLarge(exchange);
            return;
        }
        Map<String, Object> routeValues = Map.copyOf(match.get().values());
        InvocationResult result = invoker.invoke(route.function(), new TriggerInput(request, routeValues, HTTP_REASON));
        if (requestBody.wasTooLarge()) {
            sendTooLarge(exchange);
            return;
        }
        if (!result.succeeded()) {
            sendFailure(exchange, result.invocationId());
            return;
        }
        HttpResponseMessage response = (HttpResponseMessage) result.returnValue();
        if (response == null) {
            // As the host answers a function that set no response.
            send(exchange, 204, Map.of(), NO_BODY);
            return;
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        byte[] body;
        try {
            body = responseBody(response, responseHeaders);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "The response of invocation " + result.invocationId() + " cannot be written as JSON", e);
            sendFailure(exchange, result.invocationId());
            return;
        }
        send(exchange, response.getStatusCode(), responseHeaders, body);
    }

    private static HttpMethod method(String name) {
        try {
            return HttpMethod.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String allowed(List<HttpTriggers.Match> matches) {
        Set<HttpMethod> methods = new TreeSet<>();
        matches.forEach(m -> methods.addAll(m.route().methods()));
        return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    }

    /** The host reads the x-functions-key header first, then the code query parameter. */
    private static String presentedKey(HttpExchange exchange, Map<String, String> query) {
        String header = exchange.getRequestHeaders().getFirst("x-functions-key");
        return header != null ? header : query.get("code");
    }

    /** The URL as the client addressed it; without a usable Host header, as localhost. */
    private URI uri(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        URI raw = exchange.getRequestURI();
        String pathAndQuery = raw.getRawPath() + (raw.getRawQuery() != null ? "?" + raw.getRawQuery() : "");
        try {
            return URI.create(scheme + "://" + (host != null ? host : "localhost:" + port()) + pathAndQuery);
        } catch (IllegalArgumentException e) {
            return URI.create(scheme + "://localhost:" + port() + pathAndQuery);
        }
    }

    /** Repeated headers joined with ", ", as the host hands them to the worker. */
    private static Map<String, String> headers(Headers headers) {
        Map<String, String> joined = new LinkedHashMap<>();
        headers.forEach((name, values) -> joined.put(name, String.join(", ", values)));
        return joined;
    }

    /** The Content-Length the client declared; empty for a chunked body (or a malformed length, which the JDK server refuses). */
    private static OptionalLong declaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        return declared != null && declared.strip().matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(declared.strip()))
                : OptionalLong.empty();
    }

    /** As the host refuses a body over its limit; the connection is closed rather than the rest of the body read. */
    private void sendTooLarge(HttpExchange exchange) throws IOException {
        byte[] body = ("The request body has more than " + maxRequestBytes + " bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).")
                .getBytes(StandardCharsets.UTF_8);
        send(exchange, 413, Map.of("Content-Type", "text/plain; charset=utf-8", "Connection", "close"), body);
    }

    /**
     * As the host answers a request over maxOutstandingRequests (it logs the same line; its 429 has no body), with a
     * line for the person who sees it.
     */
    private void sendTooBusy(HttpExchange exchange) throws IOException {
        String limit = "Http request queue limit of " + limits.maxOutstandingRequests() + " has been exceeded.";
        LOG.info(limit);
        byte[] body = ("Too busy: " + limit + " (host.json extensions.http.maxOutstandingRequests). Retry later.")
                .getBytes(StandardCharsets.UTF_8);
        send(exchange, 429, Map.of("Content-Type", "text/plain; charset=utf-8"), body);
    }

    /**
     * Strings go out as UTF-8 text/plain, byte arrays as they are, anything else as JSON, each
     * unless the function set its own Content-Type.
     */
    private static byte[] responseBody(HttpResponseMessage response, Map<String, String> headers) throws IOException {
        if (response instanceof FunctionHttpResponse built) {
            built.headers().forEach((name, value) -> {
                if (!HOST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, value);
                }
            });
        } else if (response.getHeader("Content-Type") != null) {
            headers.put("Content-Type", response.getHeader("Content-Type"));
        }
        Object body = response.getBody();
        byte[] bytes;
        String contentType;
        if (body == null) {
            return NO_BODY;
        } else if (body instanceof byte[] raw) {
            bytes = raw;
            contentType = "application/octet-stream";
        } else if (body instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            contentType = "text/plain; charset=utf-8";
        } else {
            bytes = Json.MAPPER.writeValueAsBytes(body);
            contentType = "application/json; charset=utf-8";
        }
        if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            headers.put("Content-Type", contentType);
        }
        return bytes;
    }

    /** The function's exception can hold secrets, so the body only points at the log. */
    private static void sendFailure(HttpExchange exchange, String invocationId) throws IOException {
        byte[] body = ("The function failed: the devhost log has the details of invocation " + invocationId + ".")
                .getBytes(StandardCharsets.UTF_8);
        send(exchange, 500, Map.of("Content-Type", "text/plain; charset=utf-8"), body);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean noBody = body.length == 0 || status == 204 || status == 304 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
