package io.mailbridge.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.http.Json;
import io.mailbridge.storage.QueueProducer;
import io.mailbridge.storage.StorageNames;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Tells the CRM what happened, reliably: events go through a queue, and a failed delivery is tried
 * again later with growing pauses; after the last try the event waits in {@link DeadLetters}.
 */
public final class CrmEvents {
    private static final Logger LOG = Logger.getLogger(CrmEvents.class.getName());
    /** With the pauses below, the CRM has about 2.5 hours to come back before an event is dead-lettered. */
    static final int MAX_ATTEMPTS = 12;
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(30);

    /** One queued delivery: the event and which attempt this is. */
    record Delivery(CrmEvent event, int attempt) {}

    private final QueueProducer queue;
    private final CrmEventSender sender;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public CrmEvents(QueueProducer queue, CrmEventSender sender, DeadLetters deadLetters, Clock clock) {
        this.queue = queue;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public void publish(CrmEvent event) {
        queue.send(StorageNames.CRM_EVENTS_QUEUE, Json.write(new Delivery(event, 1)));
    }

    /** Delivers one queued event; a failure is rescheduled or dead-lettered, never thrown away. */
    public void deliver(String queueMessage) {
        Delivery delivery;
        try {
            delivery = Json.MAPPER.readValue(queueMessage, Delivery.class);
        } catch (JsonProcessingException e) {
            // Let the host retry and then move it to the poison queue, where operators see it.
            throw new IllegalArgumentException("A crm-events message is not a delivery: " + e.getOriginalMessage());
        }
        CrmEvent event = delivery.event();
        CrmEventSender.Outcome outcome = sender.send(event);
        if (outcome instanceof CrmEventSender.Outcome.TryLater later && delivery.attempt() < MAX_ATTEMPTS) {
            Duration pause = pauseAfter(delivery.attempt());
            LOG.info(() -> "Event " + event.id() + " (" + event.type() + ") not delivered, attempt " + delivery.attempt()
                    + ": " + later.reason() + "; trying again in " + pause.toSeconds() + " s");
            queue.send(StorageNames.CRM_EVENTS_QUEUE, Json.write(new Delivery(event, delivery.attempt() + 1)), pause);
        } else if (outcome instanceof CrmEventSender.Outcome.TryLater later) {
            deadLetter(delivery, later.reason());
        } else if (outcome instanceof CrmEventSender.Outcome.Refused refused) {
            deadLetter(delivery, refused.reason());
        }
    }

    /** Puts a dead-lettered event back on the queue as a first attempt; false when there is no such dead letter. */
    public boolean replay(String eventId) {
        return deadLetters.find(eventId).map(letter -> {
            try {
                CrmEvent event = Json.MAPPER.readValue(letter.eventJson(), CrmEvent.class);
                publish(event);
                deadLetters.remove(eventId);
                return true;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Dead letter " + eventId + " does not hold an event", e);
            }
        }).orElse(false);
    }

    static Duration pauseAfter(int attempt) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(attempt - 1, 20));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    private void deadLetter(Delivery delivery, String reason) {
        CrmEvent event = delivery.event();
        LOG.warning(() -> "Event " + event.id() + " (" + event.type() + ") dead-lettered after " + delivery.attempt()
                + " attempts: " + reason);
        deadLetters.add(new DeadLetters.DeadLetter(event.id(), event.type(), Json.write(event), reason, delivery.attempt(),
                clock.instant()));
    }
}
