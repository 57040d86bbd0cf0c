package io.mailbridge.devhost.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueTriggersTest {

    @Test
    void aQueueHasAPoisonQueueUnlessItIsOneOrTheNameWouldBeTooLong() {
        assertEquals(Optional.of("mail-changes-poison"), QueueTriggers.poisonQueueName("mail-changes"));
        assertEquals(Optional.empty(), QueueTriggers.poisonQueueName("mail-changes-poison"));
        assertEquals(Optional.of("q".repeat(56) + "-poison"), QueueTriggers.poisonQueueName("q".repeat(56)));
        assertEquals(Optional.empty(), QueueTriggers.poisonQueueName("q".repeat(57)));
    }
}
