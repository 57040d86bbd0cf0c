package io.mailbridge.mailbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mailbridge.http.Json;

/**
 * A queue message that asks for one job on one connection (a Sent-folder reconciliation, a subscription renewal);
 * everything else the job needs is in storage.
 */
public record ConnectionJob(String accountId, String userId) {

    public static ConnectionJob of(MailboxConnection connection) {
        return new ConnectionJob(connection.accountId(), connection.userId());
    }

    /**
     * The job in {@code message} from {@code queue}. A message that is not one is thrown back, so the host retries it
     * and then parks it in the queue's poison queue, where operators see it.
     */
    public static ConnectionJob parse(String message, String queue) {
        try {
            ConnectionJob job = Json.MAPPER.readValue(message, ConnectionJob.class);
            if (job.accountId() == null || job.userId() == null) {
                throw new IllegalArgumentException("A " + queue + " message names no connection: " + message);
            }
            return job;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A " + queue + " message is not a job: " + e.getOriginalMessage());
        }
    }

    public String toJson() {
        return Json.write(this);
    }
}
