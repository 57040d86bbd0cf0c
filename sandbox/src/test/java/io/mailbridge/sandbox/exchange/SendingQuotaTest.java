package io.mailbridge.sandbox.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailbridge.sandbox.SandboxClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SendingQuotaTest {
    private final SandboxClock clock = SandboxClock.frozenAt(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void theRollingDayFreesAsOldSendsAge() {
        SendingQuota quota = new SendingQuota(clock, SendingLimits.exchangeOnline().withRecipientsPerDay(50).withMessagesPerMinute(1000));
        for (int i = 0; i < 50; i++) {
            assertInstanceOf(QuotaDecision.Accepted.class, quota.tryConsume("u", 1));
        }
        QuotaDecision.RecipientQuotaExceeded refused = assertInstanceOf(QuotaDecision.RecipientQuotaExceeded.class, quota.tryConsume("u", 1));
        assertEquals(Duration.ofHours(24), refused.retryAfter());

        clock.advance(Duration.ofHours(24));

        assertInstanceOf(QuotaDecision.Accepted.class, quota.tryConsume("u", 1));
        assertEquals(1, quota.recipientsInWindow("u"));
    }

    @Test
    void thirtyMessagesAMinuteAndAThousandRecipientsAMessage() {
        SendingQuota quota = new SendingQuota(clock, SendingLimits.exchangeOnline());
        for (int i = 0; i < 30; i++) {
            quota.tryConsume("u", 1);
        }
        assertInstanceOf(QuotaDecision.MessageRateExceeded.class, quota.tryConsume("u", 1));
        clock.advance(Duration.ofMinutes(1));
        assertInstanceOf(QuotaDecision.Accepted.class, quota.tryConsume("u", 1));
        assertInstanceOf(QuotaDecision.TooManyRecipients.class, quota.tryConsume("u", 1001));
    }
}
