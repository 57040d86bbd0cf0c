package io.mailbridge.bcc;

/**
 * A mail that cannot be read. The message names the problem and where it is (e.g. "part 1.2
 * (application/pdf) is not valid base64") in the parser's own words, never with text from the mail,
 * because it becomes the 422 answer's detail and a log line.
 */
public final class BccMalformedMailException extends Exception {

    BccMalformedMailException(String problem) {
        // An answer to the gateway, not a fault of the app: no stack trace to fill in.
        super(problem, null, false, false);
    }
}
