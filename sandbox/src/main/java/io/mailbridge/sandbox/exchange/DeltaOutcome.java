package io.mailbridge.sandbox.exchange;

/** A delta request's outcome: a page, or a token the mailbox no longer knows (Graph's 410 syncStateNotFound). */
public sealed interface DeltaOutcome {

    record Page(DeltaPage page) implements DeltaOutcome {
    }

    record TokenExpired() implements DeltaOutcome {
    }
}
