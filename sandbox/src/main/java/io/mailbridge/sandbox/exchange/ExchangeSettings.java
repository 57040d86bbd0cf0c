package io.mailbridge.sandbox.exchange;

import java.time.Duration;
import java.util.List;

/**
 * Exchange's knobs: sending limits, how long delta tokens live, how long the validation handshake
 * may take (Graph: 10 s), the delays between notification retries (Graph retries for up to 4 h),
 * the seed of the fault plan's random choices, and how long an accepted send waits in Outbox
 * before it leaves and its Sent Items copy appears (Exchange Online: seconds, sometimes minutes).
 */
public record ExchangeSettings(SendingLimits sendingLimits, Duration deltaTokenLifetime, Duration validationTimeout,
                               List<Duration> notificationRetryDelays, long faultSeed, Duration sendDelay) {

    public ExchangeSettings {
        notificationRetryDelays = List.copyOf(notificationRetryDelays);
    }

    public static ExchangeSettings defaults() {
        return new ExchangeSettings(SendingLimits.exchangeOnline(), Duration.ofDays(30), Duration.ofSeconds(10),
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
                        Duration.ofHours(1), Duration.ofHours(1)), 42L, Duration.ofSeconds(5));
    }

    public ExchangeSettings withSendingLimits(SendingLimits limits) {
        return new ExchangeSettings(limits, deltaTokenLifetime, validationTimeout, notificationRetryDelays, faultSeed, sendDelay);
    }

    public ExchangeSettings withNotificationRetryDelays(List<Duration> delays) {
        return new ExchangeSettings(sendingLimits, deltaTokenLifetime, validationTimeout, delays, faultSeed, sendDelay);
    }

    public ExchangeSettings withValidationTimeout(Duration timeout) {
        return new ExchangeSettings(sendingLimits, deltaTokenLifetime, timeout, notificationRetryDelays, faultSeed, sendDelay);
    }

    public ExchangeSettings withSendDelay(Duration delay) {
        return new ExchangeSettings(sendingLimits, deltaTokenLifetime, validationTimeout, notificationRetryDelays, faultSeed, delay);
    }
}
