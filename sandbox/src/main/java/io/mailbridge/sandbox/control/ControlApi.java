package io.mailbridge.sandbox.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.Sandbox;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.FileAttachment;
import io.mailbridge.sandbox.exchange.LifecycleEvent;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.MessageHeader;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.NotificationFaults;
import io.mailbridge.sandbox.exchange.Recipient;
import io.mailbridge.sandbox.exchange.SendDelay;
import io.mailbridge.sandbox.exchange.SendFault;
import io.mailbridge.sandbox.exchange.SendingLimits;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.sandbox.exchange.WebhookCall;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.graph.GraphFault;
import io.mailbridge.sandbox.graph.RetryAfterForm;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The sandbox's HTTP control API (JSON, loopback only, no auth): what tests in other processes and
 * the local launcher use to deliver mail, inject faults, move time and read what the sandbox did.
 * Every route is listed by GET /control.
 */
public final class ControlApi {
    private static final List<String> ROUTES = List.of(
            "GET  /control                                   urls, tenants, users, app",
            "POST /control/deliver                           {from, to[], cc[], bcc[], subject, body, contentType, internetMessageId, headers{}, attachments[{name, contentType, contentBytes}]}",
            "GET  /control/mailboxes/{user}/messages?folder= messages of a mailbox (all folders when no folder)",
            "DELETE /control/mailboxes/{user}/messages/{id}  hard-delete (delta reports @removed)",
            "POST /control/mailboxes/{user}/delta-tokens/expire   next delta use answers 410",
            "GET  /control/mailboxes/{user}/quota            recipients counted in the 24 h window",
            "POST /control/mailboxes/{user}/quota/exhaust    spend the 24 h allowance now",
            "POST /control/mailboxes/{user}/faults           {type: throttle|server-error, count, retryAfterSeconds (may be 2.128), retryAfterForm: seconds|fraction|http-date, status}",
            "DELETE /control/mailboxes/{user}/faults         clear injected faults",
            "PUT  /control/mailboxes/{user}/latency          {millis}",
            "PUT  /control/mailboxes/{user}/send-delay       {seconds} or {minSeconds, maxSeconds}: time in Outbox before a send leaves",
            "POST /control/mailboxes/{user}/send-faults      {type: never-sent}: the next send is accepted and stays in Outbox",
            "POST /control/users/{user}/refresh-tokens/revoke   next refresh answers AADSTS50173",
            "POST /control/users/{user}/refresh-tokens/expire   next refresh answers AADSTS700082",
            "PUT  /control/sending-limits                    {recipientsPerDay, messagesPerMinute, recipientsPerMessage, maxRequestBytes}",
            "PUT  /control/notification-faults               {dropRate, duplicateRate, delayMillis, reorderWindow}",
            "GET  /control/subscriptions                     live subscriptions",
            "POST /control/subscriptions/{id}/lifecycle      {event: reauthorizationRequired|subscriptionRemoved|missed}",
            "GET  /control/webhook-calls                     every call made to app endpoints, with status and elapsed ms",
            "POST /control/clock/advance                     {seconds}");

    private final Sandbox sandbox;

    public ControlApi(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public Response handle(Request request) {
        List<String> path = request.segments().subList(1, request.segments().size());
        try {
            JsonNode body = request.body().length == 0 ? Json.object() : Json.parse(request.body());
            String route = request.method() + " " + shape(path);
            return switch (route) {
                case "GET " -> Response.json(200, summary());
                case "POST deliver" -> deliver(body);
                case "GET mailboxes/*/messages" -> messages(path.get(1), request.param("folder").orElse(null));
                case "DELETE mailboxes/*/messages/*" -> done(sandbox.exchange().mailbox(path.get(1)).purge(path.get(3)));
                case "POST mailboxes/*/delta-tokens/expire" -> {
                    sandbox.exchange().mailbox(path.get(1)).expireDeltaTokens();
                    yield done(true);
                }
                case "GET mailboxes/*/quota" -> Response.json(200, Json.object()
                        .put("recipientsInWindow", sandbox.exchange().quota().recipientsInWindow(user(path.get(1)).id()))
                        .put("recipientsPerDay", sandbox.exchange().quota().limits().recipientsPerDay()));
                case "POST mailboxes/*/quota/exhaust" -> {
                    sandbox.exchange().quota().exhaust(user(path.get(1)).id());
                    yield done(true);
                }
                case "POST mailboxes/*/faults" -> injectFault(user(path.get(1)).id(), body);
                case "DELETE mailboxes/*/faults" -> {
                    sandbox.throttling().clearFaults(user(path.get(1)).id());
                    yield done(true);
                }
                case "PUT mailboxes/*/latency" -> {
                    sandbox.throttling().latency(user(path.get(1)).id(), Duration.ofMillis(body.path("millis").asLong()));
                    yield done(true);
                }
                case "PUT mailboxes/*/send-delay" -> {
                    long shortest = body.has("seconds") ? body.path("seconds").asLong() : body.path("minSeconds").asLong(0);
                    long longest = body.has("seconds") ? shortest : body.path("maxSeconds").asLong(shortest);
                    sandbox.exchange().sendDelay(path.get(1), new SendDelay(Duration.ofSeconds(shortest), Duration.ofSeconds(longest)));
                    yield done(true);
                }
                case "POST mailboxes/*/send-faults" -> {
                    sandbox.exchange().sendFault(path.get(1), SendFault.parse(body.path("type").asText("")));
                    yield done(true);
                }
                case "POST users/*/refresh-tokens/revoke" -> {
                    sandbox.identity().revokeRefreshTokens(user(path.get(1)).id());
                    yield done(true);
                }
                case "POST users/*/refresh-tokens/expire" -> {
                    sandbox.identity().expireRefreshTokens(user(path.get(1)).id());
                    yield done(true);
                }
                case "PUT sending-limits" -> {
                    SendingLimits current = sandbox.exchange().quota().limits();
                    sandbox.exchange().quota().limits(new SendingLimits(body.path("recipientsPerDay").asInt(current.recipientsPerDay()),
                            body.path("messagesPerMinute").asInt(current.messagesPerMinute()),
                            body.path("recipientsPerMessage").asInt(current.recipientsPerMessage()),
                            body.path("maxRequestBytes").asInt(current.maxRequestBytes())));
                    yield done(true);
                }
                case "PUT notification-faults" -> {
                    sandbox.exchange().notifications().faults(new NotificationFaults(body.path("dropRate").asDouble(0),
                            body.path("duplicateRate").asDouble(0), Duration.ofMillis(body.path("delayMillis").asLong(0)),
                            body.path("reorderWindow").asInt(0)));
                    yield done(true);
                }
                case "GET subscriptions" -> subscriptions();
                case "POST subscriptions/*/lifecycle" -> lifecycle(path.get(1), body.path("event").asText(""));
                case "GET webhook-calls" -> webhookCalls();
                case "POST clock/advance" -> {
                    sandbox.clock().advance(Duration.ofSeconds(body.path("seconds").asLong()));
                    yield Response.json(200, Json.object().put("now", sandbox.clock().now().toString()));
                }
                default -> Response.json(404, Json.object().put("error", "No such control route: " + request.method() + " " + request.path()));
            };
        } catch (Json.MalformedJsonException | IllegalArgumentException | NoSuchElementException e) {
            return Response.json(400, Json.object().put("error", e.getMessage()));
        }
    }

    /** The path with user and id segments replaced by "*", to match routes. */
    private static String shape(List<String> path) {
        List<String> shaped = new ArrayList<>(path);
        if (shaped.size() > 1 && List.of("mailboxes", "users", "subscriptions").contains(shaped.get(0))) {
            shaped.set(1, "*");
        }
        if (shaped.size() > 3 && shaped.get(0).equals("mailboxes") && shaped.get(2).equals("messages")) {
            shaped.set(3, "*");
        }
        return String.join("/", shaped);
    }

    private SandboxUser user(String idOrAddress) {
        return sandbox.directory().user(idOrAddress).or(() -> sandbox.directory().mailboxFor(idOrAddress))
                .orElseThrow(() -> new NoSuchElementException("No sandbox user " + idOrAddress));
    }

    private ObjectNode summary() {
        ObjectNode summary = Json.object()
                .put("baseUrl", sandbox.baseUrl())
                .put("graphBaseUrl", sandbox.graphBaseUrl())
                .put("authorityTemplate", sandbox.authority("{tenant}"))
                .put("pages", sandbox.pagesUrl())
                .put("trustedCertificateFile", sandbox.trustedCertificateFile().toString())
                .put("clientId", sandbox.app().clientId())
                .put("clientSecret", sandbox.app().clientSecret())
                .put("now", sandbox.clock().now().toString());
        ArrayNode tenants = summary.putArray("tenants");
        sandbox.directory().tenants().forEach(tenant -> tenants.addObject().put("id", tenant.id()).put("name", tenant.displayName())
                .put("domain", tenant.domain()).put("region", tenant.region()).put("userConsentAllowed", tenant.userConsentAllowed()).put("authority", sandbox.authority(tenant.id())));
        ArrayNode users = summary.putArray("users");
        sandbox.users().forEach(user -> {
            ObjectNode node = users.addObject().put("id", user.id()).put("tenantId", user.tenantId()).put("displayName", user.displayName())
                    .put("userPrincipalName", user.userPrincipalName()).put("mailboxEnabled", user.mailboxEnabled())
                    .put("admin", user.admin());
            ArrayNode addresses = node.putArray("addresses");
            user.addresses().forEach(addresses::add);
        });
        ArrayNode routes = summary.putArray("controlRoutes");
        ROUTES.forEach(routes::add);
        return summary;
    }

    private Response deliver(JsonNode body) {
        List<FileAttachment> attachments = new ArrayList<>();
        body.path("attachments").forEach(file -> attachments.add(new FileAttachment(null, file.path("name").asText("attachment"),
                file.path("contentType").asText("application/octet-stream"), Base64.getDecoder().decode(file.path("contentBytes").asText("")),
                false, null, null)));
        List<MessageHeader> headers = new ArrayList<>();
        body.path("headers").fields().forEachRemaining(header -> headers.add(new MessageHeader(header.getKey(), header.getValue().asText())));
        String from = body.path("from").asText();
        NewMessage mail = new NewMessage(body.path("subject").asText(""), body.path("contentType").asText("text"), body.path("body").asText(""),
                new Recipient(body.path("fromName").asText(from), from), recipients(body.path("to")), recipients(body.path("cc")),
                recipients(body.path("bcc")), List.of(), body.hasNonNull("internetMessageId") ? body.get("internetMessageId").asText() : null,
                headers, List.of(), attachments, null, null, null, null);
        if (from.isBlank() || mail.recipientCount() == 0) {
            throw new IllegalArgumentException("A delivery needs 'from' and at least one of 'to', 'cc', 'bcc'");
        }
        ObjectNode result = Json.object();
        ArrayNode delivered = result.putArray("delivered");
        for (MailMessage message : sandbox.exchange().deliver(mail)) {
            delivered.add(summary(message));
        }
        return Response.json(200, result);
    }

    private static List<Recipient> recipients(JsonNode addresses) {
        List<Recipient> recipients = new ArrayList<>();
        addresses.forEach(address -> recipients.add(Recipient.of(address.asText())));
        return recipients;
    }

    private Response messages(String user, String folder) {
        List<MailMessage> messages = folder == null ? sandbox.exchange().mailbox(user).all()
                : sandbox.exchange().mailbox(user).list(WellKnownFolder.named(folder).orElseThrow(() -> new IllegalArgumentException("No folder " + folder)));
        ObjectNode result = Json.object();
        ArrayNode value = result.putArray("value");
        messages.forEach(message -> value.add(summary(message)));
        return Response.json(200, result);
    }

    static ObjectNode summary(MailMessage message) {
        ObjectNode node = Json.object().put("id", message.restId()).put("immutableId", message.immutableId())
                .put("folder", message.folder().wellKnownName()).put("subject", message.subject())
                .put("from", message.from() == null ? null : message.from().address()).put("internetMessageId", message.internetMessageId())
                .put("isDraft", message.isDraft()).put("isRead", message.isRead()).put("receivedDateTime", Json.instant(message.receivedDateTime()))
                .put("attachments", message.attachments().size());
        ArrayNode to = node.putArray("to");
        message.toRecipients().forEach(recipient -> to.add(recipient.address()));
        return node;
    }

    private Response injectFault(String userId, JsonNode body) {
        String type = body.path("type").asText();
        GraphFault fault = switch (type) {
            case "throttle" -> new GraphFault.Throttled(Duration.ofMillis(Math.round(body.path("retryAfterSeconds").asDouble(1) * 1000)),
                    RetryAfterForm.named(body.path("retryAfterForm").asText("seconds")));
            case "server-error" -> new GraphFault.ServerError(body.path("status").asInt(503));
            default -> throw new IllegalArgumentException("Fault type is throttle or server-error, not '" + type + "'");
        };
        sandbox.throttling().inject(userId, fault, body.path("count").asInt(1));
        return done(true);
    }

    private Response subscriptions() {
        ObjectNode result = Json.object();
        ArrayNode value = result.putArray("value");
        for (Subscription subscription : sandbox.exchange().subscriptions().live()) {
            value.addObject().put("id", subscription.id()).put("userId", subscription.userId()).put("resource", subscription.resource())
                    .put("changeType", subscription.changeTypeText()).put("notificationUrl", subscription.notificationUrl())
                    .put("lifecycleNotificationUrl", subscription.lifecycleNotificationUrl())
                    .put("expirationDateTime", subscription.expirationDateTime().toString());
        }
        return Response.json(200, result);
    }

    private Response lifecycle(String subscriptionId, String eventName) {
        LifecycleEvent event = Arrays.stream(LifecycleEvent.values()).filter(candidate -> candidate.graphName().equals(eventName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Lifecycle event is reauthorizationRequired, subscriptionRemoved or missed"));
        return Response.json(200, Json.object().put("sent", sandbox.exchange().subscriptions().lifecycle(subscriptionId, event)));
    }

    private Response webhookCalls() {
        ObjectNode result = Json.object();
        ArrayNode value = result.putArray("value");
        for (WebhookCall call : sandbox.exchange().notifications().calls()) {
            value.addObject().put("kind", call.kind().name()).put("url", call.url()).put("subscriptionId", call.subscriptionId())
                    .put("status", call.status()).put("elapsedMillis", call.elapsed().toMillis()).put("at", call.at().toString())
                    .put("attempt", call.attempt());
        }
        result.put("dropped", sandbox.exchange().notifications().dropped()).put("duplicated", sandbox.exchange().notifications().duplicated());
        return Response.json(200, result);
    }

    private static Response done(boolean found) {
        return found ? Response.json(200, Json.object().put("ok", true)) : Response.json(404, Json.object().put("error", "Not found"));
    }
}
