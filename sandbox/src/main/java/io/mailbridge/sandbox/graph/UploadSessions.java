package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.exchange.Exchange;
import io.mailbridge.sandbox.exchange.FileAttachment;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.http.Json;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attachment upload sessions for large mail: createUploadSession hands out an upload URL that
 * takes the file in byte ranges (PUT with Content-Range, no Graph token, slices up to 4 MB); the
 * last range attaches the file to the draft. Answers follow Outlook's: 200 with nextExpectedRanges
 * while incomplete, then 201 with a Location and no body.
 */
final class UploadSessions {
    static final long MAX_ATTACHMENT_BYTES = 150L * 1024 * 1024;
    private static final int MAX_SLICE_BYTES = 4 * 1024 * 1024;
    private static final Duration LIFETIME = Duration.ofHours(6);
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxClock clock;
    private final Exchange exchange;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    UploadSessions(SandboxClock clock, Exchange exchange) {
        this.clock = clock;
        this.exchange = exchange;
    }

    private static final class Session {
        final String userId;
        final String messageId;
        final String name;
        final String contentType;
        final boolean isInline;
        final long size;
        final Instant expires;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Session(String userId, String messageId, String name, String contentType, boolean isInline, long size, Instant expires) {
            this.userId = userId;
            this.messageId = messageId;
            this.name = name;
            this.contentType = contentType;
            this.isInline = isInline;
            this.size = size;
            this.expires = expires;
        }
    }

    ObjectNode open(String baseUrl, String userId, String messageId, String name, String contentType, boolean isInline, long size) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(userId, messageId, name, contentType, isInline, size, clock.now().plus(LIFETIME));
        sessions.put(id, session);
        ObjectNode body = Json.object().put("@odata.context", baseUrl + "/v1.0/$metadata#microsoft.graph.uploadSession")
                .put("uploadUrl", baseUrl + "/upload/" + id)
                .put("expirationDateTime", Json.instant(session.expires));
        body.putArray("nextExpectedRanges").add("0-");
        return body;
    }

    /** PUT /upload/{session} with one byte range. */
    Response put(Request request) {
        String id = request.path().substring("/upload/".length());
        Session session = sessions.get(id);
        if (session == null || session.expires.isBefore(clock.now())) {
            return GraphError.of(404, "ErrorItemNotFound", "The upload session is not found or has expired.");
        }
        Matcher range = RANGE.matcher(request.header("Content-Range").orElse(""));
        if (!"PUT".equals(request.method()) || !range.matches()) {
            return GraphError.badRequest("Upload slices are PUT with Content-Range: bytes {start}-{end}/{total}.");
        }
        long start = Long.parseLong(range.group(1));
        long end = Long.parseLong(range.group(2));
        long total = Long.parseLong(range.group(3));
        synchronized (session) {
            if (total != session.size || start != session.received.size() || end < start || end - start + 1 != request.body().length) {
                return GraphError.of(416, "InvalidRange", "The range does not follow what was uploaded so far; next expected: " + session.received.size() + ".");
            }
            if (request.body().length > MAX_SLICE_BYTES) {
                return GraphError.of(413, "RequestBodyTooLarge", "An upload slice may be at most 4 MB.");
            }
            session.received.writeBytes(request.body());
            if (session.received.size() < session.size) {
                ObjectNode body = Json.object().put("expirationDateTime", Json.instant(session.expires));
                body.putArray("nextExpectedRanges").add(Long.toString(session.received.size()));
                return Response.json(200, body);
            }
            sessions.remove(id);
        }
        Optional<MailMessage> updated = exchange.mailbox(session.userId).addAttachment(session.messageId,
                new FileAttachment(null, session.name, session.contentType, session.received.toByteArray(), session.isInline, null, null));
        if (updated.isEmpty()) {
            return GraphError.notFound("The message the upload session belongs to no longer exists.");
        }
        FileAttachment attached = updated.get().attachments().get(updated.get().attachments().size() - 1);
        return Response.empty(201).withHeader("Location", request.baseUrl() + "/v1.0/users('" + session.userId + "')/messages('"
                + session.messageId + "')/attachments('" + attached.id() + "')");
    }
}
