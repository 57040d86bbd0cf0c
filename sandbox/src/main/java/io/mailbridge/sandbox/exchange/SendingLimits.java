package io.mailbridge.sandbox.exchange;

/**
 * Exchange Online's sending limits, Microsoft's numbers by default: 10,000 recipients per rolling
 * 24 hours, 30 messages per minute, 1,000 recipients per message, and sendMail bodies of about 4 MB.
 */
public record SendingLimits(int recipientsPerDay, int messagesPerMinute, int recipientsPerMessage, int maxRequestBytes) {

    public static SendingLimits exchangeOnline() {
        return new SendingLimits(10_000, 30, 1_000, 4 * 1024 * 1024);
    }

    public SendingLimits withRecipientsPerDay(int limit) {
        return new SendingLimits(limit, messagesPerMinute, recipientsPerMessage, maxRequestBytes);
    }

    public SendingLimits withMessagesPerMinute(int limit) {
        return new SendingLimits(recipientsPerDay, limit, recipientsPerMessage, maxRequestBytes);
    }
}
