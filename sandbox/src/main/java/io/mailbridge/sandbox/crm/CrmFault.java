package io.mailbridge.sandbox.crm;

import java.time.Duration;

/** Trouble a test asked the CRM to have with the next events. */
sealed interface CrmFault permits CrmFault.Fail, CrmFault.Delay {

    /** Answer with this error status, storing nothing. */
    record Fail(int status) implements CrmFault {}

    /** Store the event as usual, then answer only after this long, like a CRM that commits and stalls. */
    record Delay(Duration delay) implements CrmFault {}
}
