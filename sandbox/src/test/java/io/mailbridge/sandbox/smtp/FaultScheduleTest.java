package io.mailbridge.sandbox.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    private final FaultSchedule schedule = new FaultSchedule();

    @Test
    void nothingScheduledMeansNoFault() {
        assertEquals(Optional.empty(), schedule.take());
    }

    @Test
    void queuedFaultsAreUsedUpInOrderThenTheStandingOneRepeats() {
        schedule.queue(2, SmtpFault.serverBusy());
        schedule.queue(1, SmtpFault.dropConnection());
        schedule.standUntilReset(SmtpFault.quotaExceeded());

        assertEquals(Optional.of(SmtpFault.serverBusy()), schedule.take());
        assertEquals(Optional.of(SmtpFault.serverBusy()), schedule.take());
        assertEquals(Optional.of(SmtpFault.dropConnection()), schedule.take());
        assertEquals(Optional.of(SmtpFault.quotaExceeded()), schedule.take());
        assertEquals(Optional.of(SmtpFault.quotaExceeded()), schedule.take());
    }

    @Test
    void resetClearsQueuedAndStandingFaults() {
        schedule.queue(3, SmtpFault.serverBusy());
        schedule.standUntilReset(SmtpFault.quotaExceeded());

        schedule.reset();

        assertEquals(Optional.empty(), schedule.take());
    }

    @Test
    void refusesCountsBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> schedule.queue(0, SmtpFault.serverBusy()));
    }
}
