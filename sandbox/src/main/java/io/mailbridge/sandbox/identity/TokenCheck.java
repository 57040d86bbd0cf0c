package io.mailbridge.sandbox.identity;

/** The outcome of checking a bearer token presented to Graph. */
public sealed interface TokenCheck {

    record Accepted(AccessGrant grant) implements TokenCheck {
    }

    /** The message is the one Graph puts in its InvalidAuthenticationToken error. */
    record Rejected(String message) implements TokenCheck {
    }
}
