package io.mailbridge.outbound;

import java.time.Duration;

/** How one attempt through one transport ended. */
public sealed interface SendResult {

    /** The mailbox or the relay took the mail. */
    record Sent(String internetMessageId) implements SendResult {}

    /**
     * Exchange refused it for the mailbox's spent sending quota: it was not sent, and the relay takes
     * over until {@code retryAfter} (Exchange's Retry-After; null when it gave none).
     */
    record QuotaExhausted(Duration retryAfter, String reason) implements SendResult {}

    /**
     * Not sent now; try again after {@code after} (null: the sender's back-off). {@code countsAsFailure}
     * is false for throttling, which is no fault of the mail; {@code maybeSent}: there was no certain
     * answer, the mail may have left.
     */
    record Retryable(Duration after, String reason, boolean countsAsFailure, boolean maybeSent) implements SendResult {

        /** Held back through no fault of the mail (throttling, a spent quota): it does not count towards giving up. */
        public static Retryable throttled(Duration after, String reason) {
            return new Retryable(after, reason, false, false);
        }

        /** A failure that counts towards giving up. */
        public static Retryable failed(Duration after, String reason) {
            return new Retryable(after, reason, true, false);
        }

        /** The same, known to have had no certain answer: the mail may have left, so the next attempt looks first. */
        public Retryable possiblySent() {
            return new Retryable(after, reason, countsAsFailure, true);
        }

        /** {@link #possiblySent()} when {@code uncertain}, else this. */
        public Retryable possiblySentIf(boolean uncertain) {
            return uncertain ? possiblySent() : this;
        }
    }

    /** Refused for good, for the given reason (the server's own words where it gave any). */
    record Rejected(String reason) implements SendResult {}
}
