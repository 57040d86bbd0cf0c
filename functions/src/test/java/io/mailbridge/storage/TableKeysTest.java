package io.mailbridge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"acct-42", "user@example.com", "a/b\\c#d?e", "100%", "tab\there", "ünïcødé ✓", "%2F", ""})
    void escapingIsReversible(String raw) {
        assertEquals(raw, TableKeys.unescape(TableKeys.escape(raw)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a\\b", "a#b", "a?b", "a\u0001b", "a\u007Fb", "a\u0085b"})
    void escapedKeysHoldNoCharacterTableStorageRefuses(String raw) {
        String key = TableKeys.escape(raw);
        assertFalse(key.chars().anyMatch(c -> c == '/' || c == '\\' || c == '#' || c == '?' || c < 0x20
                || (c >= 0x7F && c <= 0x9F)), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"acct-42", "user@example.com", "CRM_User.7"})
    void ordinaryIdsStayReadable(String raw) {
        assertEquals(raw, TableKeys.escape(raw));
    }
}
