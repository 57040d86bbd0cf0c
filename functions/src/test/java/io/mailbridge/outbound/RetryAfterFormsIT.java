package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.sandbox.graph.GraphFault;
import io.mailbridge.sandbox.graph.RetryAfterForm;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Graph's Retry-After in the forms Microsoft sends besides whole seconds, read through the real
 * Graph SDK on the send path: the retry is scheduled for the time Graph gave, rounded up, and never
 * for the product's own 30-second pause for a 429 without advice.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class RetryAfterFormsIT {
    private final SendingStack stack;

    RetryAfterFormsIT(SendingStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void clearFaults() {
        stack.sandbox.users().forEach(user -> stack.sandbox.throttling().clearFaults(user.id()));
    }

    @Test
    void aFractionalRetryAfterIsWaitedToTheMillisecond() {
        Duration pause = retryScheduledAfter(new GraphFault.Throttled(Duration.ofMillis(2_128), RetryAfterForm.FRACTION), "fraction");

        assertEquals(Duration.ofMillis(2_128), pause);
    }

    @Test
    void anHttpDateRetryAfterIsWaitedUntilThatSecond() {
        Duration pause = retryScheduledAfter(new GraphFault.Throttled(Duration.ofSeconds(7), RetryAfterForm.HTTP_DATE), "http-date");

        // The date is rounded up to its second and Graph's Date header down to its own, so 7 to 9 seconds; never early.
        assertTrue(pause.compareTo(Duration.ofSeconds(7)) >= 0 && pause.compareTo(Duration.ofSeconds(9)) <= 0, "waited " + pause);
    }

    /** Sends one mail into one 429 and returns the pause the product scheduled (from its attempt's instant to the retry). */
    private Duration retryScheduledAfter(GraphFault throttled, String name) {
        SendingWorld world = new SendingWorld(stack);
        SendingWorld.Mailbox adele = world.connect("adele.vance@contoso.example", Profile.FULL);
        stack.sandbox.throttling().inject(adele.user().id(), throttled, 1);
        String sendId = SendingWorld.json(world.requestSend(adele, SendingWorld.mail(name, "buyer@prospects.example", UniqueNames.next(name))))
                .path("send").path("sendId").asText();

        world.drain();
        OutboxRecord retrying = world.record(sendId);
        assertEquals(SendState.RETRYING, retrying.state());
        assertTrue(retrying.attempt().reason().contains("429"), retrying.attempt().reason());
        Duration pause = Duration.between(retrying.updatedAt(), retrying.attempt().nextAttemptAt());
        assertTrue(pause.compareTo(GraphSender.THROTTLE_PAUSE) < 0, "Graph's advice, not the default pause: " + pause);

        world.settle();
        OutboxRecord sent = world.record(sendId);
        assertEquals(SendState.SENT, sent.state());
        assertEquals(2, sent.attempt().attempts());
        return pause;
    }
}
