package io.mailbridge.sandbox.crm;

import java.time.Instant;

/** One POST to the events endpoint, whatever became of it: the log of every attempt the app made. */
public record CrmDelivery(Instant receivedAt, ReceivedHeaders headers, String body, CrmOutcome outcome) {}
