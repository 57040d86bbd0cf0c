package io.mailbridge.graph;

/** The stored sign-in no longer works (invalid_grant, e.g. AADSTS700082): the user must connect again. */
public final class ReauthenticationRequiredException extends MicrosoftException {
    public ReauthenticationRequiredException(String errorCode, String message) {
        super(errorCode, message);
    }
}
