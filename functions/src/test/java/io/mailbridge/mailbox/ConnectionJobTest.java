package io.mailbridge.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionJobTest {
    @Test
    void aJobTravelsAsItsConnectionsKeys() {
        ConnectionJob job = new ConnectionJob("acct/1", "ada \"the\" user");
        assertEquals(job, ConnectionJob.parse(job.toJson(), "subscription-renewal"));
    }

    @Test
    void aMessageThatIsNotAJobFailsNamingItsQueueSoTheHostParksItInThePoisonQueue() {
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> ConnectionJob.parse("renew everything", "subscription-renewal"));
        assertTrue(notJson.getMessage().startsWith("A subscription-renewal message is not a job"), notJson.getMessage());
        IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class,
                () -> ConnectionJob.parse("{\"accountId\":\"acct\"}", "sent-reconciliation"));
        assertEquals("A sent-reconciliation message names no connection: {\"accountId\":\"acct\"}", noUser.getMessage());
    }
}
