package io.mailbridge.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Logs name mailboxes by a short stable hash, never by address. */
class MailboxLogNameTest {

    @Test
    void isTheFirstTwelveHexDigitsOfTheSha256OfTheLowerCasedAddress() {
        // printf 'ada@contoso.example' | sha256sum
        assertEquals("mailbox#689ff7b2ca28", MailboxConnection.logName("ada@contoso.example"));
    }

    @Test
    void isStableAcrossCaseAndDiffersBetweenMailboxes() {
        assertEquals(MailboxConnection.logName("ada@contoso.example"), MailboxConnection.logName("Ada@Contoso.EXAMPLE"));
        assertNotEquals(MailboxConnection.logName("ada@contoso.example"), MailboxConnection.logName("eve@contoso.example"));
    }

    @Test
    void aConnectionsLogNameHoldsNoPartOfItsAddress() {
        Instant now = Instant.parse("2026-12-01T09:00:00Z");
        MailboxConnection connection = new MailboxConnection("acct", "ada", "ada.lovelace@contoso.example", ConnectionState.ACTIVE,
                SyncMode.TWO_WAY, Profile.FULL, Region.US, List.of(), null, null, now, now);

        String name = connection.logName();

        assertTrue(name.matches("mailbox#[0-9a-f]{12}"), name);
        assertFalse(name.contains("ada") || name.contains("contoso"), name);
        assertEquals(MailboxConnection.logName("ada.lovelace@contoso.example"), name);
    }

    @Test
    void theTakenMailboxErrorNamesTheMailboxByItsLogName() {
        String message = new MailboxTakenException("ada@contoso.example").getMessage();

        assertFalse(message.contains("ada@contoso.example"), message);
        assertTrue(message.contains(MailboxConnection.logName("ada@contoso.example")), message);
    }
}
