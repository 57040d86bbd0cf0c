package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.DeltaOutcome;
import io.mailbridge.sandbox.exchange.DeltaPage;
import io.mailbridge.sandbox.exchange.Exchange;
import io.mailbridge.sandbox.exchange.ExtendedProperty;
import io.mailbridge.sandbox.exchange.FileAttachment;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.Mailbox;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.QuotaDecision;
import io.mailbridge.sandbox.exchange.SendOutcome;
import io.mailbridge.sandbox.exchange.Subscription;
import io.mailbridge.sandbox.exchange.SubscriptionOutcome;
import io.mailbridge.sandbox.exchange.SubscriptionRequest;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import io.mailbridge.sandbox.identity.AccessGrant;
import io.mailbridge.sandbox.identity.IdentityPlatform;
import io.mailbridge.sandbox.identity.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Microsoft Graph v1.0, the subset the product uses: users, mail folders and messages (list, get,
 * create, patch, move, delete, attachments, upload sessions, send), delta per folder, sendMail,
 * JSON batching and subscriptions. Every call needs a valid token with the right scope and sees
 * only the token's own mailbox; mailbox calls pass Outlook's throttling gate.
 */
public final class GraphApi {
    private static final String PREFIX = "/v1.0";
    private static final Set<String> READ_MAIL = Set.of("Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic.All");
    private static final Set<String> WRITE_MAIL = Set.of("Mail.ReadWrite");
    private static final Set<String> SEND_MAIL = Set.of("Mail.Send");
    private static final Set<String> READ_USER = Set.of("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All");
    private static final int MAX_BATCH = 20;

    private final String baseUrl;
    private final SandboxDirectory directory;
    private final IdentityPlatform identity;
    private final Exchange exchange;
    private final MailboxGate gate;
    private final UploadSessions uploads;
    /** Graph requests per mailbox user and kind as they arrive over HTTP: a JSON batch counts once, as one round trip. */
    private final Map<String, Map<String, LongAdder>> requestsByUser = new ConcurrentHashMap<>();
    private final Batches batches;
    private final SandboxClock clock;

    public GraphApi(String baseUrl, SandboxDirectory directory, IdentityPlatform identity, Exchange exchange, MailboxGate gate, SandboxClock clock) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.identity = identity;
        this.exchange = exchange;
        this.gate = gate;
        this.uploads = new UploadSessions(clock, exchange);
        this.batches = new Batches(step -> serve(step, false), clock);
        this.clock = clock;
    }

    public String baseUrl() {
        return baseUrl + PREFIX;
    }

    /** PUT {uploadUrl}: authorised by the session itself, as Outlook's upload URLs are. */
    public Response upload(Request request) {
        return GraphWire.finish(request, uploads.put(request), clock);
    }

    /** How many requests the user's delegated tokens made to Graph so far (a batch is one, whatever it holds). */
    public long requestsBy(String userId) {
        return requestsByKind(userId).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The same, by kind: the method and the path with ids left out ("GET me/mailFolders/inbox/messages/delta",
     * "POST $batch", "GET me/messages/{id}"), so a benchmark can say where its requests went.
     */
    public Map<String, Long> requestsByKind(String userId) {
        Map<String, Long> counts = new TreeMap<>();
        requestsByUser.getOrDefault(userId, Map.of()).forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }

    /** Everything under /v1.0. */
    public Response handle(Request request) {
        return GraphWire.finish(request, serve(request, true), clock);
    }

    /** A request from the network ({@code counted}), or a step of a batch, which arrived inside one. */
    private Response serve(Request request, boolean counted) {
        String token = request.header("Authorization").filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim()).orElse(null);
        return switch (identity.check(token)) {
            case TokenCheck.Rejected(String message) -> GraphError.of(401, "InvalidAuthenticationToken", message)
                    .withHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"" + baseUrl + "/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
            case TokenCheck.Accepted(AccessGrant grant) -> serve(request, grant, counted);
        };
    }

    private Response serve(Request request, AccessGrant grant, boolean counted) {
        if (counted && !grant.appOnly()) {
            requestsByUser.computeIfAbsent(grant.userId(), id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(kind(request), kind -> new LongAdder()).increment();
        }
        List<String> segments = request.segments().subList(1, request.segments().size()).stream().map(GraphApi::normalise).toList();
        try {
            if (segments.isEmpty()) {
                return GraphError.badRequest("Invalid request: no resource.");
            }
            return switch (segments.get(0)) {
                case "$batch" -> "POST".equals(request.method()) ? batches.run(request) : GraphError.badRequest("$batch takes POST.");
                case "subscriptions" -> subscriptions(request, grant, segments.subList(1, segments.size()));
                case "me", "users" -> user(request, grant, segments);
                default -> GraphError.of(400, "BadRequest", "Resource not found for the segment '" + segments.get(0) + "'.");
            };
        } catch (IllegalArgumentException e) {
            return GraphError.badRequest(e.getMessage());
        } catch (Json.MalformedJsonException e) {
            return GraphError.of(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. " + e.getMessage());
        }
    }

    /** Method and path without the version, the user's id ("users/{id}" reads "me") or other ids (not plain words). */
    private static String kind(Request request) {
        List<String> segments = request.segments().subList(1, request.segments().size()).stream().map(GraphApi::normalise).toList();
        if (segments.size() >= 2 && segments.get(0).equals("users")) {
            segments = Stream.concat(Stream.of("me"), segments.stream().skip(2)).toList();
        }
        return request.method() + " " + String.join("/", segments.stream()
                .map(segment -> segment.matches("\\$?[A-Za-z][A-Za-z.]{0,39}") ? segment : "{id}").toList());
    }

    /** Function and action segments arrive as "delta()", "microsoft.graph.delta" or "delta"; all mean the same. */
    private static String normalise(String segment) {
        String name = segment.startsWith("microsoft.graph.") ? segment.substring("microsoft.graph.".length()) : segment;
        return name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
    }

    // ---- users and mailboxes ----

    private Response user(Request request, AccessGrant grant, List<String> segments) throws Json.MalformedJsonException {
        SandboxUser user;
        List<String> rest;
        if (segments.get(0).equals("me")) {
            if (grant.appOnly()) {
                return GraphError.badRequest("/me request is only valid with delegated authentication flow.");
            }
            user = directory.user(grant.userId()).orElseThrow();
            rest = segments.subList(1, segments.size());
        } else {
            if (segments.size() < 2) {
                return GraphError.of(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            }
            Optional<SandboxUser> named = directory.user(segments.get(1));
            if (named.isEmpty()) {
                return GraphError.of(404, "Request_ResourceNotFound", "Resource '" + segments.get(1) + "' does not exist or one of its queried reference-property objects are not present.");
            }
            user = named.get();
            rest = segments.subList(2, segments.size());
        }
        boolean own = grant.appOnly() ? user.tenantId().equals(grant.tenantId()) : user.id().equals(grant.userId());
        if (rest.isEmpty()) {
            if (!"GET".equals(request.method())) {
                return GraphError.of(405, "Request_BadRequest", "The sandbox does not change users.");
            }
            if (!grant.permitsAnyOf(READ_USER) || (!own && !grant.permitsAnyOf(Set.of("User.ReadBasic.All", "User.Read.All", "Directory.Read.All")))) {
                return GraphError.of(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            }
            return Response.json(200, UserJson.render(user, ODataQuery.of(request), baseUrl()));
        }
        if (!own) {
            return GraphError.accessDenied();
        }
        if (!user.mailboxEnabled()) {
            return GraphError.of(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        }
        switch (gate.admit(user.id())) {
            case MailboxGate.Admission.Refused(Response response) -> {
                return response;
            }
            case MailboxGate.Admission.Admitted(MailboxGate.Pass admitted) -> {
                try (MailboxGate.Pass pass = admitted) {
                    return mail(request, grant, exchange.mailbox(user.id()), rest);
                }
            }
        }
    }

    private Response mail(Request request, AccessGrant grant, Mailbox mailbox, List<String> rest) throws Json.MalformedJsonException {
        exchange.releaseDueSends();
        String method = request.method();
        ODataQuery query = ODataQuery.of(request);
        if (rest.get(0).equals("sendMail")) {
            return !grant.permitsAnyOf(SEND_MAIL) ? GraphError.accessDenied() : sendMail(request, mailbox);
        }
        Optional<WellKnownFolder> folder = Optional.empty();
        List<String> tail;
        if (rest.get(0).equals("mailFolders")) {
            if (!grant.permitsAnyOf(READ_MAIL)) {
                return GraphError.accessDenied();
            }
            if (rest.size() == 1) {
                return Response.json(200, FolderJson.list(mailbox, baseUrl()));
            }
            folder = mailbox.folder(rest.get(1));
            if (folder.isEmpty()) {
                return GraphError.notFound("The specified folder could not be found in the store.");
            }
            if (rest.size() == 2) {
                return Response.json(200, FolderJson.render(mailbox, folder.get()));
            }
            if (!rest.get(2).equals("messages")) {
                return GraphError.badRequest("The sandbox serves messages of a folder, not '" + rest.get(2) + "'.");
            }
            tail = rest.subList(3, rest.size());
        } else if (rest.get(0).equals("messages")) {
            tail = rest.subList(1, rest.size());
        } else {
            return GraphError.badRequest("Resource not found for the segment '" + rest.get(0) + "'.");
        }
        boolean writes = !"GET".equals(method);
        if (!grant.permitsAnyOf(writes && !(tail.size() == 2 && tail.get(1).equals("send")) ? WRITE_MAIL : READ_MAIL)) {
            return GraphError.accessDenied();
        }
        if (tail.isEmpty()) {
            return switch (method) {
                case "GET" -> list(request, mailbox, folder.orElse(null), query);
                case "POST" -> create(request, mailbox, folder.orElse(WellKnownFolder.DRAFTS), query);
                default -> GraphError.of(405, "ErrorInvalidRequest", "Method not allowed on messages.");
            };
        }
        if (tail.get(0).equals("delta")) {
            return folder.isEmpty() ? GraphError.badRequest("Delta is per folder: /mailFolders/{id}/messages/delta.")
                    : delta(request, mailbox, folder.get(), query);
        }
        Optional<WellKnownFolder> scope = folder;
        Optional<MailMessage> message = mailbox.get(tail.get(0)).filter(found -> scope.isEmpty() || found.folder() == scope.get());
        if (message.isEmpty()) {
            return GraphError.notFound("The specified object was not found in the store.");
        }
        return tail.size() == 1
                ? message(request, mailbox, message.get(), query)
                : messageAction(request, grant, mailbox, message.get(), tail.subList(1, tail.size()));
    }

    private Response list(Request request, Mailbox mailbox, WellKnownFolder folder, ODataQuery query) {
        Predicate<MailMessage> filter = MessageFilter.parse(query.filter());
        List<MailMessage> all = new ArrayList<>();
        for (WellKnownFolder each : folder == null ? List.of(WellKnownFolder.values()) : List.of(folder)) {
            mailbox.list(each).stream().filter(filter).forEach(all::add);
        }
        if (request.param("$orderby").map(order -> order.toLowerCase(Locale.ROOT).endsWith(" asc")).orElse(false)) {
            all = new ArrayList<>(all);
            java.util.Collections.reverse(all);
        }
        int top = Math.min(Math.max(query.top(), 1), 1000);
        int end = Math.min(all.size(), query.skip() + top);
        ObjectNode body = Json.object().put("@odata.context", baseUrl() + "/$metadata#users('" + mailbox.user().id() + "')/messages");
        ArrayNode value = body.putArray("value");
        for (MailMessage message : all.subList(Math.min(query.skip(), all.size()), end)) {
            value.add(MessageJson.render(message, query, mailbox.folderId(message.folder())));
        }
        if (end < all.size()) {
            body.put("@odata.nextLink", baseUrl + request.path() + "?" + withSkip(request, end));
        }
        return Response.json(200, body);
    }

    private static String withSkip(Request request, int skip) {
        StringBuilder query = new StringBuilder();
        request.query().forEach((name, value) -> {
            if (!name.equals("$skip")) {
                query.append(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)).append('&');
            }
        });
        return query.append("%24skip=").append(skip).toString();
    }

    private Response create(Request request, Mailbox mailbox, WellKnownFolder folder, ODataQuery query) throws Json.MalformedJsonException {
        NewMessage message = isMime(request) ? MimeContent.parse(request.body()) : MessageJson.parse(Json.parse(request.body()));
        MailMessage created = mailbox.createItem(folder, message);
        return Response.json(201, MessageJson.render(created, query, mailbox.folderId(created.folder())));
    }

    /** Graph takes a message in MIME format, base64-encoded, under Content-Type text/plain. */
    private static boolean isMime(Request request) {
        return request.header("Content-Type").map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/plain")).orElse(false);
    }

    private Response message(Request request, Mailbox mailbox, MailMessage message, ODataQuery query) throws Json.MalformedJsonException {
        String id = message.id(query.immutableIds());
        switch (request.method()) {
            case "GET":
                return Response.json(200, MessageJson.render(message, query, mailbox.folderId(message.folder()))
                        .put("@odata.context", baseUrl() + "/$metadata#users('" + mailbox.user().id() + "')/messages/$entity"));
            case "PATCH": {
                JsonNode body = Json.parse(request.body());
                List<ExtendedProperty> properties = new ArrayList<>();
                body.path("singleValueExtendedProperties").forEach(p -> properties.add(new ExtendedProperty(p.path("id").asText(), p.path("value").asText())));
                JsonNode content = body.path("body");
                MailMessage patched = mailbox.patch(id, new Mailbox.Patch(body.has("isRead") ? body.get("isRead").asBoolean() : null,
                        body.has("subject") ? body.get("subject").asText() : null,
                        content.isObject() ? content.path("contentType").asText("text") : null,
                        content.isObject() ? content.path("content").asText("") : null, properties)).orElseThrow();
                return Response.json(200, MessageJson.render(patched, query, mailbox.folderId(patched.folder())));
            }
            case "DELETE":
                mailbox.delete(id);
                return Response.empty(204);
            default:
                return GraphError.of(405, "ErrorInvalidRequest", "Method not allowed on a message.");
        }
    }

    private Response messageAction(Request request, AccessGrant grant, Mailbox mailbox, MailMessage message, List<String> action) throws Json.MalformedJsonException {
        ODataQuery query = ODataQuery.of(request);
        String id = message.id(query.immutableIds());
        switch (action.get(0)) {
            case "move": {
                String destination = parameter(Json.parse(request.body()), "destinationId").asText("");
                Optional<WellKnownFolder> folder = mailbox.folder(destination);
                if (folder.isEmpty()) {
                    return GraphError.notFound("The specified folder could not be found in the store.");
                }
                MailMessage moved = mailbox.move(id, folder.get()).orElseThrow();
                return Response.json(201, MessageJson.render(moved, query, mailbox.folderId(moved.folder())));
            }
            case "send":
                if (!grant.permitsAnyOf(SEND_MAIL)) {
                    return GraphError.accessDenied();
                }
                return sendOutcome(exchange.sendDraft(mailbox.user().id(), id));
            case "createReply", "createReplyAll": {
                String comment = request.body().length == 0 ? null : parameter(Json.parse(request.body()), "comment").asText(null);
                MailMessage reply = mailbox.createReply(id, action.get(0).equals("createReplyAll"), comment).orElseThrow();
                return Response.json(201, MessageJson.render(reply, query, mailbox.folderId(reply.folder())));
            }
            case "attachments":
                return attachments(request, mailbox, message, action.subList(1, action.size()));
            default:
                return GraphError.badRequest("The sandbox does not serve '" + action.get(0) + "' on messages.");
        }
    }

    private Response attachments(Request request, Mailbox mailbox, MailMessage message, List<String> rest) throws Json.MalformedJsonException {
        if (rest.isEmpty() && "GET".equals(request.method())) {
            ObjectNode body = Json.object();
            ArrayNode value = body.putArray("value");
            message.attachments().forEach(attachment -> value.add(MessageJson.attachment(attachment, true)));
            return Response.json(200, body);
        }
        if (rest.isEmpty() && "POST".equals(request.method())) {
            FileAttachment attachment = MessageJson.parseAttachment(Json.parse(request.body()));
            MailMessage updated = mailbox.addAttachment(message.immutableId(), attachment).orElseThrow();
            return Response.json(201, MessageJson.attachment(updated.attachments().get(updated.attachments().size() - 1), true));
        }
        if (rest.size() == 1 && rest.get(0).equals("createUploadSession") && "POST".equals(request.method())) {
            JsonNode item = parameter(Json.parse(request.body()), "attachmentItem");
            long size = item.path("size").asLong(-1);
            if (!"file".equalsIgnoreCase(item.path("attachmentType").asText("file")) || size <= 0 || size > UploadSessions.MAX_ATTACHMENT_BYTES) {
                return GraphError.badRequest("AttachmentItem needs attachmentType 'file' and a size between 1 byte and 150 MB.");
            }
            return Response.json(201, uploads.open(baseUrl, mailbox.user().id(), message.immutableId(), item.path("name").asText("attachment"),
                    item.path("contentType").asText("application/octet-stream"), item.path("isInline").asBoolean(false), size));
        }
        if (rest.size() == 1 && "GET".equals(request.method())) {
            return message.attachments().stream().filter(attachment -> attachment.id().equals(rest.get(0))).findFirst()
                    .map(attachment -> Response.json(200, MessageJson.attachment(attachment, true)))
                    .orElseGet(() -> GraphError.notFound("The attachment was not found."));
        }
        return GraphError.badRequest("Unsupported attachments request.");
    }

    private Response delta(Request request, Mailbox mailbox, WellKnownFolder folder, ODataQuery query) {
        int pageSize = Math.min(query.maxPageSize().orElse(10), 1000);
        String skipToken = request.param("$skiptoken").orElse(null);
        String deltaToken = request.param("$deltatoken").orElse(null);
        DeltaPage page;
        if (skipToken == null && deltaToken == null) {
            page = mailbox.startDelta(folder, request.param("$select").orElse(null), MessageFilter.receivedSince(query.filter()), pageSize);
        } else {
            switch (mailbox.continueDelta(skipToken, deltaToken, pageSize)) {
                case DeltaOutcome.TokenExpired expired -> {
                    return GraphError.of(410, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
                }
                case DeltaOutcome.Page(DeltaPage continued) -> page = continued;
            }
        }
        ODataQuery shape = new ODataQuery(page.select() == null ? null : new java.util.LinkedHashSet<>(List.of(page.select().split("\\s*,\\s*"))), query.top(), 0, null,
                false, false, null, query.immutableIds(), query.maxPageSize());
        ObjectNode body = Json.object().put("@odata.context", baseUrl() + "/$metadata#Collection(message)");
        ArrayNode value = body.putArray("value");
        for (DeltaPage.Item item : page.items()) {
            switch (item) {
                case DeltaPage.Present(MailMessage message) -> value.add(MessageJson.render(message, shape, mailbox.folderId(folder)));
                case DeltaPage.Removed(String immutableId, String restId) -> value.addObject()
                        .put("@odata.type", "#microsoft.graph.message").put("id", query.immutableIds() ? immutableId : restId)
                        .putObject("@removed").put("reason", "deleted");
            }
        }
        String link = baseUrl + request.path() + "?";
        page.skipToken().ifPresent(token -> body.put("@odata.nextLink", link + "%24skiptoken=" + token));
        page.deltaToken().ifPresent(token -> body.put("@odata.deltaLink", link + "%24deltatoken=" + token));
        Response response = Response.json(200, body);
        return query.maxPageSize().isPresent() ? response.withHeader("Preference-Applied", "odata.maxpagesize=" + pageSize) : response;
    }

    private Response sendMail(Request request, Mailbox mailbox) throws Json.MalformedJsonException {
        int limit = exchange.quota().limits().maxRequestBytes();
        if (request.body().length > limit) {
            return GraphError.of(413, "RequestBodyTooLarge", "The maximum request length supported is " + (limit / (1024 * 1024))
                    + " MB. Create a draft and attach large files with an upload session.");
        }
        JsonNode body = Json.parse(request.body());
        NewMessage message = MessageJson.parse(parameter(body, "message"));
        if (message.recipientCount() == 0) {
            return GraphError.of(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
        }
        JsonNode saveToSentItems = parameter(body, "saveToSentItems");
        boolean save = !saveToSentItems.isBoolean() || saveToSentItems.asBoolean();
        return sendOutcome(exchange.send(mailbox.user().id(), message, save));
    }

    /** Action parameters are case-insensitive in Graph; the SDK sends them PascalCase ("Message", "DestinationId"). */
    private static JsonNode parameter(JsonNode body, String name) {
        java.util.Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return body.get(candidate);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Response sendOutcome(SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Sent sent -> Response.empty(202);
            case SendOutcome.SendAsDenied(String address) -> GraphError.of(403, "ErrorSendAsDenied", "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account '"
                    + address + "'., Cannot submit message.");
            case SendOutcome.NoRecipients none ->
                    GraphError.of(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
            case SendOutcome.DraftNotFound notFound ->
                    GraphError.notFound("The specified object was not found in the store., The draft to send is not in the mailbox.");
            case SendOutcome.Refused(QuotaDecision.TooManyRecipients(int limit, int given)) ->
                    GraphError.of(400, "ErrorInvalidRecipients", "The message has " + given + " recipients; at most " + limit + " are allowed per message.");
            case SendOutcome.Refused(QuotaDecision.MessageRateExceeded(int limit, Duration retryAfter)) ->
                    GraphError.throttled("ApplicationThrottled", "Message rate limit exceeded: at most " + limit + " messages per minute.", retryAfter);
            case SendOutcome.Refused(QuotaDecision.RecipientQuotaExceeded(int limit, Duration retryAfter)) ->
                    GraphError.throttled("ErrorQuotaExceeded", "The mailbox has exceeded its sending limit of " + limit
                            + " recipients in 24 hours. 554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", retryAfter);
            // Exchange answers Sent for a send its quota took: a Refused never carries an acceptance.
            case SendOutcome.Refused(QuotaDecision.Accepted accepted) -> throw new IllegalStateException("A refusal that accepted");
        };
    }

    // ---- subscriptions ----

    private Response subscriptions(Request request, AccessGrant grant, List<String> rest) throws Json.MalformedJsonException {
        if (rest.isEmpty()) {
            return switch (request.method()) {
                case "POST" -> createSubscription(request, grant);
                case "GET" -> listSubscriptions(request, grant);
                default -> GraphError.of(405, "BadRequest", "Method not allowed on subscriptions.");
            };
        }
        Optional<Subscription> subscription = visibleSubscriptions(grant).stream().filter(s -> s.id().equals(rest.get(0))).findFirst();
        if (subscription.isEmpty()) {
            return GraphError.of(404, "ResourceNotFound", "The object was not found.");
        }
        if (rest.size() == 2 && rest.get(1).equals("reauthorize") && "POST".equals(request.method())) {
            return Response.empty(204);
        }
        return switch (request.method()) {
            case "GET" -> Response.json(200, SubscriptionJson.render(subscription.get(), baseUrl(), false));
            case "DELETE" -> {
                exchange.subscriptions().delete(subscription.get().id());
                yield Response.empty(204);
            }
            case "PATCH" -> {
                JsonNode body = Json.parse(request.body());
                SubscriptionOutcome outcome = exchange.subscriptions().renew(subscription.get().id(),
                        OffsetDateTime.parse(body.path("expirationDateTime").asText()).toInstant());
                yield subscriptionOutcome(outcome, 200);
            }
            default -> GraphError.of(405, "BadRequest", "Method not allowed on a subscription.");
        };
    }

    /**
     * One page of the subscriptions the caller may see, in id order; the next page starts after the last id
     * ($skiptoken), so deleting subscriptions between pages skips none of the others.
     */
    private Response listSubscriptions(Request request, AccessGrant grant) {
        String after = request.param("$skiptoken").map(token -> new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)).orElse("");
        int size = exchange.subscriptions().listPageSize();
        List<Subscription> rest = visibleSubscriptions(grant).stream().filter(s -> s.id().compareTo(after) > 0)
                .sorted(Comparator.comparing(Subscription::id)).toList();
        List<Subscription> page = rest.subList(0, Math.min(size, rest.size()));
        ObjectNode body = Json.object().put("@odata.context", baseUrl() + "/$metadata#subscriptions");
        ArrayNode value = body.putArray("value");
        page.forEach(subscription -> value.add(SubscriptionJson.render(subscription, baseUrl(), false)));
        if (rest.size() > page.size()) {
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(page.get(page.size() - 1).id().getBytes(StandardCharsets.UTF_8));
            body.put("@odata.nextLink", baseUrl() + "/subscriptions?$skiptoken=" + token);
        }
        return Response.json(200, body);
    }

    private List<Subscription> visibleSubscriptions(AccessGrant grant) {
        return exchange.subscriptions().live().stream()
                .filter(subscription -> subscription.clientId().equalsIgnoreCase(grant.clientId()))
                .filter(subscription -> grant.appOnly() ? subscription.tenantId().equals(grant.tenantId()) : subscription.userId().equals(grant.userId()))
                .toList();
    }

    private Response createSubscription(Request request, AccessGrant grant) throws Json.MalformedJsonException {
        JsonNode body = Json.parse(request.body());
        if (!grant.permitsAnyOf(READ_MAIL)) {
            return GraphError.of(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]");
        }
        String resource = body.path("resource").asText("");
        String owner = grant.userId();
        Optional<String> named = java.util.regex.Pattern.compile("^/?users/([^/]+)/", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(resource)
                .results().map(match -> match.group(1)).findFirst();
        if (named.isPresent()) {
            owner = directory.user(named.get()).map(SandboxUser::id).orElse(null);
        }
        if (owner == null) {
            return GraphError.of(404, "ExtensionError", "Operation: Create; Exception: [Status Code: NotFound; Reason: The mailbox of '" + resource + "' was not found.]");
        }
        SandboxUser user = directory.user(owner).orElseThrow();
        if (!user.mailboxEnabled()) {
            return GraphError.of(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
        }
        if (!grant.appOnly() && !owner.equals(grant.userId())) {
            return GraphError.of(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]");
        }
        String expiration = body.path("expirationDateTime").asText(null);
        SubscriptionRequest subscriptionRequest = new SubscriptionRequest(owner, user.tenantId(), grant.clientId(), body.path("changeType").asText(null),
                body.path("notificationUrl").asText(null), body.path("lifecycleNotificationUrl").asText(null), resource,
                expiration == null ? null : OffsetDateTime.parse(expiration).toInstant(), body.path("clientState").asText(null),
                body.path("includeResourceData").asBoolean(false), ODataQuery.of(request).immutableIds());
        return subscriptionOutcome(exchange.subscriptions().create(subscriptionRequest, exchange.mailbox(owner)), 201);
    }

    private Response subscriptionOutcome(SubscriptionOutcome outcome, int successStatus) {
        return switch (outcome) {
            case SubscriptionOutcome.Refused(int status, String code, String message) -> GraphError.of(status, code, message);
            // Graph echoes the client state only to the request that set it (create); renewals get null as reads do.
            case SubscriptionOutcome.Done(Subscription subscription) ->
                    Response.json(successStatus, SubscriptionJson.render(subscription, baseUrl(), successStatus == 201));
        };
    }
}
