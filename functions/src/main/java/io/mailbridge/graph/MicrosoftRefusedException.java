package io.mailbridge.graph;

/** Microsoft refused for a reason retrying will not change (bad request, consent, unlicensed mailbox). */
public final class MicrosoftRefusedException extends MicrosoftException {
    public MicrosoftRefusedException(String errorCode, String message) {
        super(errorCode, message);
    }
}
