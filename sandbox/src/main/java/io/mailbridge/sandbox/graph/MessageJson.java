package io.mailbridge.sandbox.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.exchange.ExtendedProperty;
import io.mailbridge.sandbox.exchange.FileAttachment;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.MessageHeader;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.Recipient;
import io.mailbridge.sandbox.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** Messages and attachments to and from Graph's JSON (the shapes of the message resource on Microsoft Learn). */
final class MessageJson {
    /** Properties Graph returns only when $select names them. */
    private static final Set<String> ONLY_ON_SELECT = Set.of("internetmessageheaders", "uniquebody");

    private MessageJson() {
    }

    static ObjectNode render(MailMessage message, ODataQuery query, String folderId) {
        ObjectNode all = Json.object();
        all.put("@odata.etag", "W/\"" + message.changeKey() + "\"");
        all.put("id", message.id(query.immutableIds()));
        all.put("createdDateTime", Json.instant(message.createdDateTime()));
        all.put("lastModifiedDateTime", Json.instant(message.lastModifiedDateTime()));
        all.put("changeKey", message.changeKey());
        all.putArray("categories");
        all.put("receivedDateTime", Json.instant(message.receivedDateTime()));
        all.put("sentDateTime", Json.instant(message.sentDateTime()));
        all.put("hasAttachments", message.hasAttachments());
        all.put("internetMessageId", message.internetMessageId());
        all.put("subject", message.subject());
        all.put("bodyPreview", preview(message.bodyContent()));
        all.put("importance", message.importance());
        all.put("parentFolderId", folderId);
        all.put("conversationId", message.conversationId());
        all.put("isDeliveryReceiptRequested", false);
        all.put("isReadReceiptRequested", false);
        all.put("isRead", message.isRead());
        all.put("isDraft", message.isDraft());
        all.put("webLink", "https://outlook.office365.com/owa/?ItemID=" + URLEncoder.encode(message.restId(), StandardCharsets.UTF_8)
                + "&exvsurl=1&viewmodel=ReadMessageItem");
        all.put("inferenceClassification", "focused");
        all.putObject("body").put("contentType", message.bodyContentType().toLowerCase(Locale.ROOT)).put("content", message.bodyContent());
        all.set("sender", recipient(message.sender()));
        all.set("from", recipient(message.from()));
        all.set("toRecipients", recipients(message.toRecipients()));
        all.set("ccRecipients", recipients(message.ccRecipients()));
        all.set("bccRecipients", recipients(message.bccRecipients()));
        all.set("replyTo", recipients(message.replyTo()));
        all.putObject("flag").put("flagStatus", "notFlagged");
        ArrayNode headers = Json.array();
        message.internetMessageHeaders().forEach(header -> headers.addObject().put("name", header.name()).put("value", header.value()));
        all.set("internetMessageHeaders", message.internetMessageHeaders().isEmpty() ? null : headers);

        ObjectNode shown = Json.object();
        shown.put("@odata.etag", all.get("@odata.etag").asText());
        shown.put("id", all.get("id").asText());
        all.fields().forEachRemaining(field -> {
            String name = field.getKey();
            boolean wanted = query.select() == null
                    ? !ONLY_ON_SELECT.contains(name.toLowerCase(Locale.ROOT))
                    : query.select().stream().anyMatch(selected -> selected.equalsIgnoreCase(name));
            if (wanted && !shown.has(name)) {
                shown.set(name, field.getValue());
            }
        });
        if (query.expandAttachments()) {
            ArrayNode attachments = shown.putArray("attachments");
            message.attachments().forEach(attachment -> attachments.add(attachment(attachment, query.attachmentContent())));
        }
        if (query.expandPropertyFilter() != null) {
            ArrayNode properties = shown.putArray("singleValueExtendedProperties");
            Predicate<ExtendedProperty> keep = propertyFilter(query.expandPropertyFilter());
            message.extendedProperties().stream().filter(keep)
                    .forEach(property -> properties.addObject().put("id", property.id()).put("value", property.value()));
        }
        return shown;
    }

    /** $expand=singleValueExtendedProperties($filter=id eq '...'), with "or" between ids. */
    private static Predicate<ExtendedProperty> propertyFilter(String filter) {
        if (filter.isBlank()) {
            return property -> true;
        }
        List<String> ids = new ArrayList<>();
        for (String clause : filter.split("(?i)\\s+or\\s+")) {
            String trimmed = clause.trim();
            if (!trimmed.toLowerCase(Locale.ROOT).startsWith("id eq '") || !trimmed.endsWith("'")) {
                throw new IllegalArgumentException("Invalid filter clause in $expand: " + clause);
            }
            ids.add(trimmed.substring(7, trimmed.length() - 1).replace("''", "'"));
        }
        return property -> ids.stream().anyMatch(id -> id.equalsIgnoreCase(property.id()));
    }

    static ObjectNode attachment(FileAttachment attachment, boolean withContent) {
        ObjectNode node = Json.object()
                .put("@odata.type", "#microsoft.graph.fileAttachment")
                .put("@odata.mediaContentType", attachment.contentType())
                .put("id", attachment.id())
                .put("lastModifiedDateTime", Json.instant(attachment.lastModifiedDateTime()))
                .put("name", attachment.name())
                .put("contentType", attachment.contentType())
                .put("size", attachment.size())
                .put("isInline", attachment.isInline())
                .put("contentId", attachment.contentId())
                .putNull("contentLocation");
        if (withContent) {
            node.put("contentBytes", Base64.getEncoder().encodeToString(attachment.content()));
        }
        return node;
    }

    private static String preview(String body) {
        String text = body == null ? "" : body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return text.length() > 255 ? text.substring(0, 255) : text;
    }

    private static JsonNode recipient(Recipient recipient) {
        if (recipient == null) {
            return null;
        }
        ObjectNode node = Json.object();
        node.putObject("emailAddress").put("name", recipient.name()).put("address", recipient.address());
        return node;
    }

    private static ArrayNode recipients(List<Recipient> recipients) {
        ArrayNode array = Json.array();
        recipients.forEach(recipient -> array.add(recipient(recipient)));
        return array;
    }

    // ---- parsing ----

    /** A Graph message body (create, sendMail's "message"); bad input throws IllegalArgumentException with Graph's wording. */
    static NewMessage parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Empty Payload. JSON content expected.");
        }
        List<MessageHeader> headers = new ArrayList<>();
        for (JsonNode header : node.path("internetMessageHeaders")) {
            String name = header.path("name").asText();
            if (!name.regionMatches(true, 0, "x-", 0, 2)) {
                throw new IllegalArgumentException("The internet message header name '" + name + "' should start with 'x-' or 'X-'.");
            }
            headers.add(new MessageHeader(name, header.path("value").asText()));
        }
        List<ExtendedProperty> properties = new ArrayList<>();
        for (JsonNode property : node.path("singleValueExtendedProperties")) {
            properties.add(new ExtendedProperty(property.path("id").asText(), property.path("value").asText()));
        }
        List<FileAttachment> attachments = new ArrayList<>();
        for (JsonNode attachment : node.path("attachments")) {
            attachments.add(parseAttachment(attachment));
        }
        JsonNode body = node.path("body");
        return new NewMessage(text(node, "subject"), body.isObject() ? body.path("contentType").asText("text").toLowerCase(Locale.ROOT) : null,
                body.isObject() ? body.path("content").asText("") : null, node.has("from") ? parseRecipient(node.get("from")) : null,
                parseRecipients(node.path("toRecipients")), parseRecipients(node.path("ccRecipients")), parseRecipients(node.path("bccRecipients")),
                parseRecipients(node.path("replyTo")), text(node, "internetMessageId"), headers, properties, attachments,
                time(node, "sentDateTime"), time(node, "receivedDateTime"), node.has("isRead") ? node.get("isRead").asBoolean() : null,
                text(node, "importance"));
    }

    static FileAttachment parseAttachment(JsonNode node) {
        String type = node.path("@odata.type").asText("#microsoft.graph.fileAttachment");
        if (!type.equalsIgnoreCase("#microsoft.graph.fileAttachment")) {
            throw new IllegalArgumentException("The sandbox supports only file attachments, not " + type + ".");
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(node.path("contentBytes").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contentBytes is not valid base64.");
        }
        return new FileAttachment(null, node.path("name").asText("attachment"), node.path("contentType").asText("application/octet-stream"),
                content, node.path("isInline").asBoolean(false), text(node, "contentId"), null);
    }

    private static Recipient parseRecipient(JsonNode node) {
        JsonNode address = node.path("emailAddress");
        String mail = address.path("address").asText(null);
        if (mail == null || !mail.contains("@")) {
            throw new IllegalArgumentException("At least one recipient is not valid., Recipient '" + address.path("address").asText("") + "' is not resolved. All recipients must be resolved before a message can be submitted.");
        }
        return new Recipient(address.path("name").asText(mail), mail);
    }

    private static List<Recipient> parseRecipients(JsonNode array) {
        List<Recipient> recipients = new ArrayList<>();
        array.forEach(node -> recipients.add(parseRecipient(node)));
        return recipients;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : java.time.OffsetDateTime.parse(value).toInstant();
    }
}
