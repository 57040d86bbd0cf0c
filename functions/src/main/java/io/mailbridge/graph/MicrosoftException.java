package io.mailbridge.graph;

/**
 * Microsoft said no, or could not be asked. Carries Microsoft's error code for decisions and
 * status pages; the message never holds tokens or codes.
 */
public abstract sealed class MicrosoftException extends RuntimeException
        permits ReauthenticationRequiredException, MicrosoftRefusedException, MicrosoftUnavailableException {
    private final String errorCode;

    MicrosoftException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
