package io.mailbridge.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.http.Json;

/** The queue message that asks the sender to work on one send; everything else is in the outbox. */
public record SendJob(String accountId, String userId, String sendId) {

    static SendJob of(OutboxRecord record) {
        return new SendJob(record.accountId(), record.userId(), record.sendId());
    }

    static SendJob parse(String message) {
        try {
            SendJob job = Json.MAPPER.readValue(message, SendJob.class);
            if (job.accountId() == null || job.userId() == null || job.sendId() == null) {
                throw new IllegalArgumentException("An outbound-mail message names no send: " + message);
            }
            return job;
        } catch (JsonProcessingException e) {
            // Thrown, so the host retries and then parks it in the poison queue, where operators see it.
            throw new IllegalArgumentException("An outbound-mail message is not a send job: " + e.getOriginalMessage());
        }
    }

    String toJson() {
        return Json.write(this);
    }
}
