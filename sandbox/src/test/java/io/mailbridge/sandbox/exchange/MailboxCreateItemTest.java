package io.mailbridge.sandbox.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages a client creates (Graph POST .../messages), as Exchange stores them. */
class MailboxCreateItemTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final SandboxUser adele = SandboxDirectory.sample().user("adele.vance@contoso.example").orElseThrow();
    private final Mailbox mailbox = new Mailbox(adele, SandboxClock.frozenAt(NOW), Duration.ofDays(7), change -> { });

    private static NewMessage withProperties(List<ExtendedProperty> properties) {
        return new NewMessage("Our offer", "text", "Hello", null, List.of(Recipient.of("buyer@prospects.example")), List.of(), List.of(),
                List.of(), null, List.of(), properties, List.of(), null, null, null, null);
    }

    @Test
    void aCreatedMessageIsADraftCreatedNow() {
        MailMessage created = mailbox.createItem(WellKnownFolder.DRAFTS, withProperties(List.of()));

        assertTrue(created.isDraft());
        assertEquals(NOW, created.receivedDateTime());
    }

    @Test
    void messageFlagsAndSubmitAndDeliveryTimesInTheCreateMakeASentMessageOfThatTime() {
        Instant sentAt = NOW.minus(Duration.ofHours(3));

        MailMessage created = mailbox.createItem(WellKnownFolder.SENT_ITEMS, withProperties(List.of(
                new ExtendedProperty(ExtendedProperty.PR_MESSAGE_FLAGS, "1"),
                new ExtendedProperty(ExtendedProperty.PR_CLIENT_SUBMIT_TIME, sentAt.toString()),
                new ExtendedProperty(ExtendedProperty.PR_MESSAGE_DELIVERY_TIME, sentAt.toString()))));

        assertFalse(created.isDraft());
        assertTrue(created.isRead());
        assertEquals(sentAt, created.sentDateTime());
        assertEquals(sentAt, created.receivedDateTime());
        assertEquals(List.of(created), mailbox.list(WellKnownFolder.SENT_ITEMS));
    }
}
