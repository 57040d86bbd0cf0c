package io.mailbridge.graph;

/** Microsoft could not answer now (network, 5xx, throttling): try again later. */
public final class MicrosoftUnavailableException extends MicrosoftException {
    public MicrosoftUnavailableException(String errorCode, String message) {
        super(errorCode, message);
    }
}
