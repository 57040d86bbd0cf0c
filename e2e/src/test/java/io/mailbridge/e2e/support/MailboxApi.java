package io.mailbridge.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The CRM's calls to the app's API: function key plus the CRM's signature. */
public final class MailboxApi {
    private final Stack stack;
    private final URI stamp;
    private final Web web;
    private final Map<Integer, Long> lastSignedAt = new ConcurrentHashMap<>();

    /** The US stamp's API. */
    public MailboxApi(Stack stack) {
        this(stack, stack.appBaseUrl());
    }

    /** The API of the stamp at {@code stampBaseUrl}. */
    public MailboxApi(Stack stack, URI stampBaseUrl) {
        this.stack = stack;
        this.stamp = stampBaseUrl;
        this.web = new Web(stack.sandbox().tls().clientContext());
    }

    /**
     * Signs the call afresh, as the CRM must: the app serves each signed mutating request once, so an
     * identical call within the same second is signed with the next second instead.
     */
    public HttpResponse<String> call(String method, String path, String body) {
        long now = stack.sandbox().clock().instant().getEpochSecond();
        return send(method, path, body, lastSignedAt.merge(Objects.hash(method, path, body), now, (last, current) -> Math.max(last + 1, current)));
    }

    /** The call signed at {@code timestamp}, as the CRM sent it or as someone who captured it sends it again. */
    public HttpResponse<String> send(String method, String path, String body, long timestamp) {
        lastSignedAt.merge(Objects.hash(method, path, body), timestamp, Math::max);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stamp.toString().replaceAll("/$", "") + path))
                .header("x-functions-key", Stack.FUNCTION_KEY)
                .header("X-Mailbridge-Timestamp", Long.toString(timestamp))
                .header("X-Mailbridge-Signature", CrmLinks.apiSignature(stack.crmSecret(), timestamp, method, path, body))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return web.send(request);
    }

    public static String mailboxPath(String accountId, String userId) {
        return "/api/accounts/" + encode(accountId) + "/mailboxes/" + encode(userId);
    }

    public JsonNode status(String accountId, String userId) {
        HttpResponse<String> response = call("GET", mailboxPath(accountId, userId), "");
        if (response.statusCode() != 200) {
            throw new AssertionError("status answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** Support's call, with the master key (no CRM signature). */
    public HttpResponse<String> setProfile(String accountId, String profile) {
        return web.send(HttpRequest.newBuilder(URI.create(stamp + "api/ops/accounts/" + encode(accountId) + "/profile"))
                .header("x-functions-key", Stack.MASTER_KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"profile\":\"" + profile + "\"}")));
    }

    /** Support's switch that lets an account's users connect mailboxes other than their CRM email's; null sends a bad body. */
    public HttpResponse<String> setOtherMailboxesAllowed(String accountId, Boolean allowed) {
        return web.send(HttpRequest.newBuilder(URI.create(stamp + "api/ops/accounts/" + encode(accountId) + "/other-mailboxes"))
                .header("x-functions-key", Stack.MASTER_KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"allowed\":" + (allowed == null ? "\"yes\"" : allowed) + "}")));
    }

    public static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
