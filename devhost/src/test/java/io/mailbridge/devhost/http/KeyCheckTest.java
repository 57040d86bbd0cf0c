package io.mailbridge.devhost.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyCheckTest {
    private final KeyCheck keys = new KeyCheck(
            new AccessKeys("master", Map.of("default", "host", "status", "status-key", "send", "send-key")),
            Set.of("status", "send", "health"));

    @Test
    void anonymousNeedsNoKey() {
        assertTrue(keys.allows(AuthorizationLevel.ANONYMOUS, "health", null));
    }

    @Test
    void functionLevelTakesItsOwnKeyAHostKeyOrTheMasterKey() {
        assertTrue(keys.allows(AuthorizationLevel.FUNCTION, "status", "status-key"));
        assertTrue(keys.allows(AuthorizationLevel.FUNCTION, "STATUS", "status-key"), "function names ignore case");
        assertTrue(keys.allows(AuthorizationLevel.FUNCTION, "status", "host"));
        assertTrue(keys.allows(AuthorizationLevel.FUNCTION, "status", "master"));
        assertFalse(keys.allows(AuthorizationLevel.FUNCTION, "status", "send-key"));
        assertFalse(keys.allows(AuthorizationLevel.FUNCTION, "status", "STATUS-KEY"), "keys are case-sensitive");
        assertFalse(keys.allows(AuthorizationLevel.FUNCTION, "status", ""));
        assertFalse(keys.allows(AuthorizationLevel.FUNCTION, "status", null));
    }

    @Test
    void adminLevelTakesOnlyTheMasterKey() {
        assertTrue(keys.allows(AuthorizationLevel.ADMIN, "status", "master"));
        assertFalse(keys.allows(AuthorizationLevel.ADMIN, "status", "host"));
        assertFalse(keys.allows(AuthorizationLevel.ADMIN, "status", "status-key"));
    }

    @Test
    void withoutKeysOnlyAnonymousFunctionsAnswer() {
        KeyCheck none = new KeyCheck(AccessKeys.none(), Set.of("status"));
        assertFalse(none.allows(AuthorizationLevel.FUNCTION, "status", "anything"));
        assertFalse(none.allows(AuthorizationLevel.ADMIN, "status", "anything"));
    }

    @Test
    void accessKeysNeverPrintTheirValues() {
        String printed = new AccessKeys("master-value", Map.of("default", "host-value")).toString();
        assertFalse(printed.contains("master-value") || printed.contains("host-value"), printed);
    }
}
