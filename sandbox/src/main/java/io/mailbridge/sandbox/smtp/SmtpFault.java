package io.mailbridge.sandbox.smtp;

/**
 * How the relay answers a message instead of accepting it. Faults are applied once the client has
 * sent the whole message (after DATA), which is where Exchange reports a spent sending quota.
 */
public sealed interface SmtpFault permits SmtpFault.Reply, SmtpFault.DropConnection {

    /** A 4xx (try again later) or 5xx (permanent) reply line. */
    record Reply(int code, String text) implements SmtpFault {
        public Reply {
            if (code < 400 || code > 599) {
                throw new IllegalArgumentException("A fault reply is 4xx or 5xx, not " + code);
            }
            if (text == null || text.isBlank() || text.contains("\r") || text.contains("\n")) {
                throw new IllegalArgumentException("A fault reply's text is one non-blank line");
            }
        }

        /** The reply line as the client reads it, for example {@code 451 4.7.500 Server busy...}. */
        public String line() {
            return code + " " + text;
        }

        public boolean isPermanent() {
            return code >= 500;
        }
    }

    /** Closes the connection after reading the message, without a reply and without delivering. */
    record DropConnection() implements SmtpFault {}

    static Reply reply(int code, String text) {
        return new Reply(code, text);
    }

    /** Exchange Online's answer once a mailbox's daily recipient limit is spent. */
    static Reply quotaExceeded() {
        return new Reply(554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException;"
                + " Failed to process message due to a permanent exception with message Cannot submit message.");
    }

    /** Exchange Online's temporary refusal when it is too busy to take a message. */
    static Reply serverBusy() {
        return new Reply(451, "4.7.500 Server busy. Please try again later.");
    }

    static DropConnection dropConnection() {
        return new DropConnection();
    }
}
