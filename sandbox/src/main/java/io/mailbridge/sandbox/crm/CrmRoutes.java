package io.mailbridge.sandbox.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CRM stand-in's HTTP surface:
 * <ul>
 *   <li>{@code POST /events}: the app's signed events; {@code GET /events[?accountId=&userId=]}: what was stored, as JSON;</li>
 *   <li>{@code GET|PUT /accounts/{account}/prospects}: an account's prospect list, as JSON;</li>
 *   <li>{@code GET /profile}, {@code /profile/connect}, {@code /profile/return}: the CRM's side of connecting a mailbox;</li>
 *   <li>{@code GET /accounts/{account}/users/{user}}: a page of what the CRM received for that user;
 *       {@code GET /}: links to every user's page.</li>
 * </ul>
 */
final class CrmRoutes implements HttpHandler {
    private final EventIntake intake;
    private final Inbox inbox;
    private final ProspectLists prospects;
    private final ConnectSide connectSide;
    private final Clock clock;

    CrmRoutes(EventIntake intake, Inbox inbox, ProspectLists prospects, ConnectSide connectSide, Clock clock) {
        this.intake = intake;
        this.inbox = inbox;
        this.prospects = prospects;
        this.connectSide = connectSide;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, e.getMessage());
        } catch (IOException clientGone) {
            // The app hung up (a timeout shorter than a scheduled delay): nothing left to answer.
        } catch (RuntimeException e) {
            problem(exchange, 500, "The CRM stand-in failed: " + e);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI());
        if (path.equals(List.of("events"))) {
            if (method.equals("POST")) {
                receiveEvent(exchange);
            } else if (getOrRefuse(exchange, "GET, POST")) {
                listEvents(exchange);
            }
        } else if (path.isEmpty()) {
            if (getOrRefuse(exchange, "GET")) {
                html(exchange, CrmPages.index(eventCounts(), prospects.counts()));
            }
        } else if (path.size() == 3 && path.get(0).equals("accounts") && path.get(2).equals("prospects")) {
            if (method.equals("PUT")) {
                replaceProspects(exchange, path.get(1));
            } else if (getOrRefuse(exchange, "GET, PUT")) {
                json(exchange, 200, prospectList(path.get(1)));
            }
        } else if (path.equals(List.of("profile"))) {
            if (getOrRefuse(exchange, "GET")) {
                html(exchange, connectSide.profilePage());
            }
        } else if (path.equals(List.of("profile", "connect"))) {
            if (getOrRefuse(exchange, "GET")) {
                Map<String, String> query = query(exchange.getRequestURI());
                URI base = URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + "/");
                var target = connectSide.connectUrl(base, query.getOrDefault("account", ""), query.getOrDefault("user", ""));
                if (target.isEmpty()) {
                    problem(exchange, 404, "No such CRM user");
                } else {
                    exchange.getResponseHeaders().set("Location", target.get().toString());
                    exchange.sendResponseHeaders(302, -1);
                }
            }
        } else if (path.equals(List.of("profile", "return"))) {
            if (getOrRefuse(exchange, "GET")) {
                Map<String, String> query = query(exchange.getRequestURI());
                html(exchange, connectSide.returnPage(query.getOrDefault("account", ""), query.getOrDefault("user", ""), query));
            }
        } else if (path.size() == 4 && path.get(0).equals("accounts") && path.get(2).equals("users")) {
            if (getOrRefuse(exchange, "GET")) {
                html(exchange, CrmPages.userPage(path.get(1), path.get(3), inbox.eventsFor(path.get(1), path.get(3))));
            }
        } else {
            problem(exchange, 404, "No such resource: " + exchange.getRequestURI().getRawPath());
        }
    }

    private void receiveEvent(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Instant receivedAt = clock.instant();
        ReceivedHeaders headers = new ReceivedHeaders(exchange.getRequestHeaders());
        CrmFault fault = inbox.nextFault().orElse(null);
        CrmOutcome judged = switch (fault) {
            case null -> intake.judge(headers, body, receivedAt);
            case CrmFault.Fail(int status) -> new CrmOutcome.Failed(status);
            case CrmFault.Delay delay -> intake.judge(headers, body, receivedAt);
        };
        CrmOutcome outcome = inbox.record(new CrmDelivery(receivedAt, headers, new String(body, StandardCharsets.UTF_8), judged));
        if (fault instanceof CrmFault.Delay(Duration delay)) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        switch (outcome) {
            case CrmOutcome.Accepted(CrmEvent event) -> json(exchange, 200, Json.object().put("id", event.id()).put("duplicate", false));
            case CrmOutcome.Repeated(String eventId) -> json(exchange, 200, Json.object().put("id", eventId).put("duplicate", true));
            case CrmOutcome.Refused(int status, String reason) -> problem(exchange, status, reason);
            case CrmOutcome.Failed(int status) -> problem(exchange, status, "The CRM stand-in was told to fail this request");
        }
    }

    private void listEvents(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        ArrayNode list = Json.array();
        for (CrmEvent event : inbox.events()) {
            if (query.getOrDefault("accountId", event.accountId()).equals(event.accountId())
                    && query.getOrDefault("userId", event.userId()).equals(event.userId())) {
                list.addObject()
                        .put("id", event.id())
                        .put("type", event.type())
                        .put("accountId", event.accountId())
                        .put("userId", event.userId())
                        .put("occurredAt", event.occurredAt().toString())
                        .put("receivedAt", event.receivedAt().toString())
                        .put("timesReceived", inbox.timesReceived(event.id()))
                        .set("event", event.json());
            }
        }
        json(exchange, 200, list);
    }

    private void replaceProspects(HttpExchange exchange, String accountId) throws IOException {
        JsonNode body;
        try {
            body = Json.parse(exchange.getRequestBody().readAllBytes());
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException("The body is not valid JSON: " + e.getMessage());
        }
        JsonNode list = body.get("prospects");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("Field 'prospects' must be an array of email addresses");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode address : list) {
            if (!address.isTextual()) {
                throw new IllegalArgumentException("Field 'prospects' must hold only strings, found " + address);
            }
            addresses.add(address.asText());
        }
        prospects.replace(accountId, addresses);
        json(exchange, 200, prospectList(accountId));
    }

    private ObjectNode prospectList(String accountId) {
        ObjectNode list = Json.object().put("accountId", accountId);
        ArrayNode addresses = list.putArray("prospects");
        prospects.of(accountId).forEach(addresses::add);
        return list;
    }

    private Map<String, Map<String, Integer>> eventCounts() {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (CrmEvent event : inbox.events()) {
            counts.computeIfAbsent(event.accountId(), account -> new TreeMap<>()).merge(event.userId(), 1, Integer::sum);
        }
        return counts;
    }

    /** True for GET; anything else is answered 405 with {@code allow}, the methods the resource takes. */
    private static boolean getOrRefuse(HttpExchange exchange, String allow) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allow);
        problem(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use " + allow);
        return false;
    }

    private static List<String> segments(URI uri) {
        return Arrays.stream(uri.getRawPath().split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", Json.bytes(body));
    }

    /** An RFC 9457 problem body, the shape the app's own API answers errors with. */
    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        ObjectNode problem = Json.object()
                .put("type", "about:blank")
                .put("title", title(status))
                .put("status", status)
                .put("detail", detail);
        send(exchange, status, "application/problem+json; charset=utf-8", Json.bytes(problem));
    }

    private static void html(HttpExchange exchange, String page) throws IOException {
        // The pages need no script, image or font: forbid them all, in case escaping ever misses.
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        send(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
