package io.mailbridge.sandbox.exchange;

import java.time.Duration;

/** Whether Exchange takes a message for sending, and if not, why and for how long. */
public sealed interface QuotaDecision {

    record Accepted() implements QuotaDecision {
    }

    /** The rolling 24-hour recipient limit is spent; retryAfter is when enough of the window frees. */
    record RecipientQuotaExceeded(int limit, Duration retryAfter) implements QuotaDecision {
    }

    /** More than the per-minute message rate. */
    record MessageRateExceeded(int limit, Duration retryAfter) implements QuotaDecision {
    }

    /** One message names more recipients than Exchange accepts. */
    record TooManyRecipients(int limit, int given) implements QuotaDecision {
    }
}
