package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.support.EveryFailure;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The connect page a person sees for each kind of Microsoft failure during the sign-in callback. */
class ConnectErrorCodesTest {

    @Test
    void everyKindOfFailureHasItsPage() {
        Map<String, String> codes = EveryFailure.ofEveryKind(Duration.ofSeconds(5)).stream()
                .collect(Collectors.toMap(f -> f.getClass().getSimpleName(), ConnectService::errorCodeFor));

        assertEquals(Map.of("Reauthenticate", "sign_in_failed", "Throttled", "temporarily_unavailable",
                "Transient", "temporarily_unavailable", "QuotaSpent", "temporarily_unavailable",
                "MailboxUnusable", "mailbox_not_supported", "AccessDenied", "consent_required", "NotFound", "sign_in_failed",
                "ResyncRequired", "sign_in_failed", "Refused", "sign_in_failed"), codes);
    }
}
