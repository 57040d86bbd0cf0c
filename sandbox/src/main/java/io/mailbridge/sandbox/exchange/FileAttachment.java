package io.mailbridge.sandbox.exchange;

import java.time.Instant;

/** A fileAttachment: its bytes are kept whole, as Exchange stores them. */
public record FileAttachment(String id, String name, String contentType, byte[] content, boolean isInline, String contentId, Instant lastModifiedDateTime) {

    public int size() {
        return content.length;
    }
}
