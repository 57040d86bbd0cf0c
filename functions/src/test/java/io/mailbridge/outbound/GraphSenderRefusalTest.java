package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.support.EveryFailure;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a send makes of each kind of Microsoft failure. */
class GraphSenderRefusalTest {
    private static final Duration WAIT = Duration.ofSeconds(42);

    @Test
    void everyKindOfFailureBecomesTheSendsResult() {
        Map<String, SendResult> results = EveryFailure.ofEveryKind(WAIT).stream()
                .collect(Collectors.toMap(f -> f.getClass().getSimpleName(), f -> GraphSender.refusal(f, false)));

        assertEquals(MicrosoftFailure.class.getPermittedSubclasses().length, results.size());
        assertEquals(WAIT, assertInstanceOf(SendResult.QuotaExhausted.class, results.get("QuotaSpent")).retryAfter());
        SendResult.Retryable throttled = assertInstanceOf(SendResult.Retryable.class, results.get("Throttled"));
        assertEquals(WAIT, throttled.after());
        assertEquals(false, throttled.countsAsFailure(), "throttling is no fault of the mail");
        SendResult.Retryable failed = assertInstanceOf(SendResult.Retryable.class, results.get("Transient"));
        assertTrue(failed.maybeSent(), "a server error or a broken connection may have come after Graph took the mail");
        assertInstanceOf(SendResult.Retryable.class, results.get("Reauthenticate"));
        for (String refused : new String[] {"MailboxUnusable", "AccessDenied", "NotFound", "ResyncRequired", "Refused"}) {
            SendResult.Rejected rejected = assertInstanceOf(SendResult.Rejected.class, results.get(refused), refused);
            assertTrue(rejected.reason().contains("SomeCode: Microsoft's words (request-id req-1)"), rejected.reason());
        }
    }

    @Test
    void throttlingWithoutRetryAfterLeavesTheMailboxAloneForAWhile() {
        MicrosoftFailure throttled = new MicrosoftFailure.Throttled(MicrosoftFailure.Details.local("TooManyRequests", ""), java.util.Optional.empty());

        assertEquals(GraphSender.THROTTLE_PAUSE, assertInstanceOf(SendResult.Retryable.class, GraphSender.refusal(throttled, false)).after());
    }
}
