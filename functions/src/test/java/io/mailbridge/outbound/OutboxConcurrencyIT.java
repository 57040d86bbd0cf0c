package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.mailbox.Profile;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No two workers send one outbox message: the host hands the same send to several instances at once. */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class OutboxConcurrencyIT {
    private static final int WORKERS = 6;
    private final SendingStack stack;

    OutboxConcurrencyIT(SendingStack stack) {
        this.stack = stack;
    }

    /** Every worker runs the send's queue message at the same moment; then the host drains what is left. */
    private String sendFromManyWorkersAtOnce(SendingWorld world, SendingWorld.Mailbox mailbox, String subject) throws Exception {
        String sendId = SendingWorld.json(world.requestSend(mailbox, SendingWorld.mail("crm-" + subject, "buyer@prospects.example", subject)))
                .path("send").path("sendId").asText();
        CyclicBarrier together = new CyclicBarrier(WORKERS);
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                runs.add(workers.submit(() -> {
                    together.await();
                    world.release(sendId);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            workers.shutdownNow();
        }
        world.settle();
        assertEquals(SendState.SENT, world.record(sendId).state());
        assertEquals(1, world.eventsOf(sendId).size(), "one outcome event");
        return sendId;
    }

    @Test
    void aSendHandedToManyWorkersGoesOutThroughTheRelayOnce() throws Exception {
        SendingWorld world = new SendingWorld(stack);
        String subject = UniqueNames.next("workers-relay");

        sendFromManyWorkersAtOnce(world, world.connect("alex.wilber@contoso.example", Profile.RESTRICTED), subject);

        assertEquals(1, stack.relay.messages().stream().filter(m -> m.subject().orElse("").equals(subject)).count());
    }

    @Test
    void aSendHandedToManyWorkersGoesOutThroughTheMailboxOnce() throws Exception {
        SendingWorld world = new SendingWorld(stack);
        String subject = UniqueNames.next("workers-mailbox");

        sendFromManyWorkersAtOnce(world, world.connect("adele.vance@contoso.example", Profile.FULL), subject);

        assertEquals(1, stack.sandbox.exchange().transportLog().stream().filter(m -> subject.equals(m.message().subject())).count());
    }
}
