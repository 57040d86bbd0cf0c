package io.mailbridge.sandbox.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mailbridge.sandbox.SandboxClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MailboxGateTest {
    private final MailboxGate gate = new MailboxGate(SandboxClock.frozenAt(Instant.parse("2026-11-26T10:00:00Z")), 10_000);

    private MailboxGate.Admission request() {
        MailboxGate.Admission admission = gate.admit("u");
        switch (admission) {
            case MailboxGate.Admission.Admitted(MailboxGate.Pass pass) -> pass.close();
            case MailboxGate.Admission.Refused refused -> { }
        }
        return admission;
    }

    @Test
    void aFaultInjectedAfterSomeRequestsStrikesInTheMiddleOfAWorkload() {
        gate.inject("u", 2, new GraphFault.ServerError(500), 1);

        assertInstanceOf(MailboxGate.Admission.Admitted.class, request());
        assertInstanceOf(MailboxGate.Admission.Admitted.class, request());
        MailboxGate.Admission.Refused refused = assertInstanceOf(MailboxGate.Admission.Refused.class, request());
        assertEquals(500, refused.response().status());
        assertInstanceOf(MailboxGate.Admission.Admitted.class, request());
    }
}
