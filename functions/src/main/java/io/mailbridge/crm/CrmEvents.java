package io.mailbridge.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.Sha256;
import io.mailbridge.http.Json;
import io.mailbridge.storage.Payloads;
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

    /** Events larger than this travel as a blob; the queue message carries its name. */
    static final int MAX_INLINE_CHARS = 40 * 1024;

    /** One queued delivery: the event (or the blob holding it) and which attempt this is. */
    record Delivery(CrmEvent event, String payload, int attempt) {}

    private final QueueProducer queue;
    private final Payloads payloads;
    private final CrmEventSender sender;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public CrmEvents(QueueProducer queue, Payloads payloads, CrmEventSender sender, DeadLetters deadLetters, Clock clock) {
        this.queue = queue;
        this.payloads = payloads;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public void publish(CrmEvent event) {
        enqueue(event, 1, Duration.ZERO);
    }

    private void enqueue(CrmEvent event, int attempt, Duration delay) {
        String json = Json.write(event);
        Delivery delivery;
        if (json.length() > MAX_INLINE_CHARS) {
            String name = "crm-events/" + payloadName(event.id()) + ".json";
            payloads.put(name, json);
            delivery = new Delivery(null, name, attempt);
        } else {
            delivery = new Delivery(event, null, attempt);
        }
        queue.send(StorageNames.CRM_EVENTS_QUEUE, Json.write(delivery), delay);
    }

    /** Event ids may hold any character; blob names get a digest of them. */
    private static String payloadName(String eventId) {
        return Sha256.hex(eventId);
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
        CrmEvent event = delivery.event() != null ? delivery.event() : readPayload(delivery.payload());
        CrmEventSender.Outcome outcome = sender.send(event);
        switch (outcome) {
            case CrmEventSender.Outcome.TryLater(String reason) when delivery.attempt() < MAX_ATTEMPTS -> {
                Duration pause = pauseAfter(delivery.attempt());
                LOG.info(() -> "Event " + event.id() + " (" + event.type() + ") not delivered, attempt " + delivery.attempt()
                        + ": " + reason + "; trying again in " + pause.toSeconds() + " s");
                enqueue(event, delivery.attempt() + 1, pause);
                return;
            }
            case CrmEventSender.Outcome.TryLater(String reason) -> deadLetter(event, delivery.attempt(), reason);
            case CrmEventSender.Outcome.Refused(String reason) -> deadLetter(event, delivery.attempt(), reason);
            case CrmEventSender.Outcome.Delivered delivered -> { }
        }
        if (delivery.payload() != null) {
            payloads.delete(delivery.payload());
        }
    }

    private CrmEvent readPayload(String name) {
        String json = payloads.get(name).orElseThrow(() -> new IllegalStateException("The event blob " + name + " is missing"));
        try {
            return Json.MAPPER.readValue(json, CrmEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The event blob " + name + " does not hold an event", e);
        }
    }

    /** Puts a dead-lettered event back on the queue as a first attempt; false when there is no such dead letter. */
    public boolean replay(String eventId) {
        return deadLetters.find(eventId).map(letter -> {
            boolean inBlob = letter.eventJson().startsWith("blob:");
            CrmEvent event;
            try {
                event = inBlob ? readPayload(letter.eventJson().substring(5)) : Json.MAPPER.readValue(letter.eventJson(), CrmEvent.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Dead letter " + eventId + " does not hold an event", e);
            }
            publish(event);
            deadLetters.remove(eventId);
            if (inBlob) {
                payloads.delete(letter.eventJson().substring(5));
            }
            return true;
        }).orElse(false);
    }

    static Duration pauseAfter(int attempt) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(attempt - 1, 20));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    private void deadLetter(CrmEvent event, int attempts, String reason) {
        LOG.warning(() -> "Event " + event.id() + " (" + event.type() + ") dead-lettered after " + attempts + " attempts: " + reason);
        String json = Json.write(event);
        String stored = json;
        if (json.length() > MAX_INLINE_CHARS) {
            // A table property holds 64 KiB; the dead letter keeps a blob of its own until it is replayed.
            stored = "blob:dead-letters/" + payloadName(event.id()) + ".json";
            payloads.put(stored.substring(5), json);
        }
        deadLetters.add(new DeadLetters.DeadLetter(event.id(), event.type(), stored, reason, attempts, clock.instant()));
    }
}
