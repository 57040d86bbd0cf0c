package io.mailbridge.sandbox.exchange;

import java.time.Duration;
import java.util.Random;

/** How long one mailbox's accepted sends wait in Outbox: a fixed time, or a spread drawn per send from the fault seed. */
public record SendDelay(Duration shortest, Duration longest) {

    public SendDelay {
        if (shortest.isNegative() || longest.compareTo(shortest) < 0) {
            throw new IllegalArgumentException("A send delay needs 0 <= shortest <= longest, not " + shortest + ".." + longest);
        }
    }

    public static SendDelay of(Duration delay) {
        return new SendDelay(delay, delay);
    }

    Duration draw(Random random) {
        long spread = longest.toMillis() - shortest.toMillis();
        return spread == 0 ? shortest : shortest.plusMillis((long) (random.nextDouble() * (spread + 1)));
    }
}
