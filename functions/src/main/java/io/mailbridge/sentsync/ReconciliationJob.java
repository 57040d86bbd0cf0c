package io.mailbridge.sentsync;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.MailboxConnection;

/** The queue message that asks for one reconciliation of one connection's Sent Items; everything else is in storage. */
public record ReconciliationJob(String accountId, String userId) {

    static ReconciliationJob of(MailboxConnection connection) {
        return new ReconciliationJob(connection.accountId(), connection.userId());
    }

    static ReconciliationJob parse(String message) {
        try {
            ReconciliationJob job = Json.MAPPER.readValue(message, ReconciliationJob.class);
            if (job.accountId() == null || job.userId() == null) {
                throw new IllegalArgumentException("A sent-reconciliation message names no connection: " + message);
            }
            return job;
        } catch (JsonProcessingException e) {
            // Thrown, so the host retries and then parks it in the poison queue, where operators see it.
            throw new IllegalArgumentException("A sent-reconciliation message is not a job: " + e.getOriginalMessage());
        }
    }

    String toJson() {
        return Json.write(this);
    }
}
