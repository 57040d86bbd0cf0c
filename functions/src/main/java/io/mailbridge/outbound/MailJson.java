package io.mailbridge.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.http.BadRequestException;
import io.mailbridge.http.Json;
import java.util.Optional;

/**
 * JSON of send requests and of stored mails. The app's mapper keeps Jackson's default of 20 million
 * characters per string, which a base64 attachment of 15 MB already passes; this one takes strings
 * as long as the largest attachment the product accepts, so that limit is the one the CRM meets.
 */
public final class MailJson {
    static final ObjectMapper MAPPER = Json.MAPPER.copy();

    static {
        int longestBase64 = 4 * ((SendRequestBody.MAX_ATTACHMENT_BYTES + 2) / 3);
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(longestBase64 + 1024).build());
    }

    private MailJson() {}

    /** A request body that must be a JSON object; anything else is the CRM's mistake, named "body". */
    static JsonNode requestBody(Optional<String> body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body.orElse(""));
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body", "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("body", "The body must be a JSON object");
        }
        return node;
    }

    /** A mail as {@link SendRequests} stored it in its payload blob. */
    public static OutgoingMail mail(String stored) {
        try {
            return MAPPER.readValue(stored, OutgoingMail.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored mail is not an OutgoingMail: " + e.getOriginalMessage());
        }
    }
}
