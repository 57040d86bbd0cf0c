package io.mailbridge.sandbox.crm;

/** How the CRM stand-in answered one POST of an event, and why. */
public sealed interface CrmOutcome
        permits CrmOutcome.Accepted, CrmOutcome.Repeated, CrmOutcome.Refused, CrmOutcome.Failed {

    /** The HTTP status the stand-in answered with. */
    int status();

    /** A new, authentic event: stored. */
    record Accepted(CrmEvent event) implements CrmOutcome {
        @Override
        public int status() {
            return 200;
        }
    }

    /** An authentic event whose id was already stored: answered 200 so the app stops, not stored again. */
    record Repeated(String eventId) implements CrmOutcome {
        @Override
        public int status() {
            return 200;
        }
    }

    /** A request that is not an authentic, well-formed event: 401 (signature, timestamp) or 400 (body). */
    record Refused(int status, String reason) implements CrmOutcome {}

    /** A request answered with an error because a test asked for one with {@link CrmStandIn#failNext}. */
    record Failed(int status) implements CrmOutcome {}
}
