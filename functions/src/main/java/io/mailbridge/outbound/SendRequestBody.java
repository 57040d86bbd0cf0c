package io.mailbridge.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.crm.EmailAddresses;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.mailbox.MailboxConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the CRM's send request, refusing anything the mailbox or the relay would refuse later, so
 * the CRM learns it at once, as a 400 naming the field:
 *
 * <pre>{@code
 * {"idempotencyKey": "crm-msg-42", "from": "sales@contoso.com",
 *  "to": ["buyer@fabrikam.com", {"address": "cfo@fabrikam.com", "name": "CFO"}], "cc": [], "bcc": [], "replyTo": [],
 *  "subject": "Our offer", "text": "...", "html": "<p>...</p>",
 *  "attachments": [{"name": "offer.pdf", "contentType": "application/pdf", "contentBase64": "...", "inline": false, "contentId": null}],
 *  "inReplyTo": "<abc@fabrikam.com>", "references": ["<abc@fabrikam.com>"]}
 * }</pre>
 */
public final class SendRequestBody {
    /** Exchange Online's limit of recipients in one message (To, Cc and Bcc together). */
    static final int MAX_RECIPIENTS = 1000;
    /** All attachments together; what common mail services accept, and well inside Graph's upload sessions. */
    static final int MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
    static final int MAX_KEY_LENGTH = 200;
    static final int MAX_SUBJECT_LENGTH = 998;
    static final int MAX_REFERENCES = 100;
    /** Each body, in UTF-8; larger bodies would not fit in one Graph request, and belong in attachments. */
    static final int MAX_BODY_BYTES = 1_500_000;
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]{1,250}@[^<>\\s]{1,250}>");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");

    /** What the CRM asked for: the key it will ask about again, and the mail. */
    public record SendRequest(String idempotencyKey, OutgoingMail mail) {}

    private SendRequestBody() {}

    /** @throws BadRequestException naming the first field that is wrong */
    public static SendRequest parse(JsonNode body, MailboxConnection connection) {
        String key = requiredText(body, "idempotencyKey");
        if (key.length() > MAX_KEY_LENGTH || !PRINTABLE.matcher(key).matches()) {
            throw new BadRequestException("idempotencyKey", "idempotencyKey must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        String from = from(body, connection);
        List<OutgoingMail.Address> to = addresses(body, "to");
        List<OutgoingMail.Address> cc = addresses(body, "cc");
        List<OutgoingMail.Address> bcc = addresses(body, "bcc");
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new BadRequestException("to", "A mail needs at least one recipient in to, cc or bcc");
        }
        checkRecipientCount(to.size(), cc.size(), bcc.size());
        String subject = optionalText(body, "subject").orElse("");
        if (subject.length() > MAX_SUBJECT_LENGTH || !isOneLine(subject)) {
            throw new BadRequestException("subject", "subject must be one line of at most " + MAX_SUBJECT_LENGTH + " characters");
        }
        String text = optionalText(body, "text").orElse(null);
        String html = optionalText(body, "html").orElse(null);
        if (text == null && html == null) {
            throw new BadRequestException("text", "A mail needs a body: text, html or both");
        }
        checkBodySize("text", text);
        checkBodySize("html", html);
        String inReplyTo = optionalText(body, "inReplyTo").orElse(null);
        if (inReplyTo != null && !MESSAGE_ID.matcher(inReplyTo).matches()) {
            throw new BadRequestException("inReplyTo", "inReplyTo must be a Message-ID such as <id@example.com>");
        }
        return new SendRequest(key, new OutgoingMail(from, to, cc, bcc, addresses(body, "replyTo"), subject, text, html,
                attachments(body), inReplyTo, references(body)));
    }

    /** The primary address by default; otherwise one of the addresses the mailbox owns (aliases are fetched for FULL only). */
    private static String from(JsonNode body, MailboxConnection connection) {
        Optional<String> given = optionalText(body, "from");
        if (given.isEmpty()) {
            return connection.mailboxAddress();
        }
        String from = EmailAddresses.normalize(given.get())
                .orElseThrow(() -> new BadRequestException("from", "from is not a mail address"));
        if (!from.equals(connection.mailboxAddress()) && !connection.aliases().contains(from)) {
            throw new BadRequestException("from", "from must be the mailbox's address or one of its aliases " + connection.aliases());
        }
        return from;
    }

    private static void checkBodySize(String field, String body) {
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new BadRequestException(field, field + " must be at most " + MAX_BODY_BYTES + " bytes (UTF-8); send larger content as an attachment");
        }
    }

    /** The field at which To, Cc and Bcc together pass Exchange's per-message limit is the one named. */
    private static void checkRecipientCount(int to, int cc, int bcc) {
        String field = to > MAX_RECIPIENTS ? "to" : to + cc > MAX_RECIPIENTS ? "cc" : to + cc + bcc > MAX_RECIPIENTS ? "bcc" : null;
        if (field != null) {
            throw new BadRequestException(field, "The mail has " + (to + cc + bcc) + " recipients; Exchange accepts at most "
                    + MAX_RECIPIENTS + " in one message (to, cc and bcc together)");
        }
    }

    /** An array of addresses, each a string or {"address", "name"}; absent means none. */
    private static List<OutgoingMail.Address> addresses(JsonNode body, String field) {
        JsonNode array = body.get(field);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new BadRequestException(field, field + " must be an array of addresses");
        }
        List<OutgoingMail.Address> addresses = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String name = field + "[" + i + "]";
            String address = item.isTextual() ? item.asText() : item.path("address").asText(null);
            String normalized = EmailAddresses.normalize(address)
                    .orElseThrow(() -> new BadRequestException(name, name + " is not a mail address"));
            JsonNode displayName = item.get("name");
            if (displayName != null && !displayName.isNull() && (!displayName.isTextual() || displayName.asText().length() > 256
                    || !isOneLine(displayName.asText()))) {
                throw new BadRequestException(name + ".name", name + ".name must be one line of at most 256 characters");
            }
            addresses.add(new OutgoingMail.Address(normalized, displayName == null || displayName.isNull() ? null : displayName.asText()));
        }
        return addresses;
    }

    private static List<OutgoingMail.Attachment> attachments(JsonNode body) {
        JsonNode array = body.get("attachments");
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new BadRequestException("attachments", "attachments must be an array");
        }
        List<OutgoingMail.Attachment> attachments = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String field = "attachments[" + i + "]";
            String name = requiredText(item, "name", field + ".name");
            if (name.length() > 255 || !isOneLine(name)) {
                throw new BadRequestException(field + ".name", field + ".name must be one line of at most 255 characters");
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(requiredText(item, "contentBase64", field + ".contentBase64"));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(field + ".contentBase64", field + ".contentBase64 is not base64");
            }
            total += content.length;
            if (total > MAX_ATTACHMENT_BYTES) {
                throw new BadRequestException(field, "Attachments may take " + MAX_ATTACHMENT_BYTES + " bytes together; " + field
                        + " (" + name + ") brings them to " + total);
            }
            String contentType = optionalText(item, "contentType").orElse("application/octet-stream");
            if (!contentType.matches("[\\w.+-]+/[\\w.+-]+")) {
                throw new BadRequestException(field + ".contentType", field + ".contentType must be a MIME type such as application/pdf");
            }
            String contentId = optionalText(item, "contentId", field + ".contentId").orElse(null);
            if (contentId != null && !PRINTABLE.matcher(contentId).matches()) {
                throw new BadRequestException(field + ".contentId", field + ".contentId must be printable ASCII");
            }
            attachments.add(new OutgoingMail.Attachment(name, contentType, contentId, item.path("inline").asBoolean(false), content));
        }
        return attachments;
    }

    private static List<String> references(JsonNode body) {
        JsonNode array = body.get("references");
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray() || array.size() > MAX_REFERENCES) {
            throw new BadRequestException("references", "references must be an array of at most " + MAX_REFERENCES + " Message-IDs");
        }
        List<String> references = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual() || !MESSAGE_ID.matcher(array.get(i).asText()).matches()) {
                throw new BadRequestException("references[" + i + "]", "references[" + i + "] must be a Message-ID such as <id@example.com>");
            }
            references.add(array.get(i).asText());
        }
        return references;
    }

    /** Text that goes into a mail header must not be able to start another header. */
    private static boolean isOneLine(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0;
    }

    private static String requiredText(JsonNode object, String field) {
        return requiredText(object, field, field);
    }

    private static String requiredText(JsonNode object, String field, String name) {
        return optionalText(object, field, name).orElseThrow(() -> new BadRequestException(name, name + " is required"));
    }

    private static Optional<String> optionalText(JsonNode object, String field) {
        return optionalText(object, field, field);
    }

    private static Optional<String> optionalText(JsonNode object, String field, String name) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(name, name + " must be a string");
        }
        return value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }
}
