package io.mailbridge.sandbox.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.sandbox.exchange.ExtendedProperty;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFilterTest {
    private final MailMessage message = new MailMessage("imm", "rest", WellKnownFolder.SENT_ITEMS, 1, "ck", Instant.EPOCH, Instant.EPOCH,
            Instant.parse("2025-01-02T00:00:00Z"), Instant.EPOCH, "It's here", "text", "", null, null, List.of(), List.of(), List.of(), List.of(),
            "<id@x>", "conv", List.of(), List.of(new ExtendedProperty("String {guid} Name Stamp", "abc")), List.of(), false, true, "normal");

    @Test
    void extendedPropertyAndOtherClausesCombine() {
        assertTrue(MessageFilter.parse("singleValueExtendedProperties/any(ep: ep/id eq 'String {guid} Name Stamp' and ep/value eq 'abc') and isDraft eq false").test(message));
        assertFalse(MessageFilter.parse("singleValueExtendedProperties/any(ep: ep/id eq 'String {guid} Name Stamp' and ep/value eq 'xyz')").test(message));
        assertTrue(MessageFilter.parse("subject eq 'It''s here' and receivedDateTime ge 2025-01-01T00:00:00Z").test(message));
        assertTrue(MessageFilter.parse("internetMessageId eq '<id@x>'").test(message));
    }

    @Test
    void anUnsupportedFilterIsRefusedRatherThanIgnored() {
        assertThrows(IllegalArgumentException.class, () -> MessageFilter.parse("startswith(subject, 'a')"));
    }
}
