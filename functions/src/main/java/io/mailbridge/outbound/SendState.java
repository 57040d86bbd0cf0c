package io.mailbridge.outbound;

/**
 * Where one CRM send stands. QUEUED until the sender first takes it; SENDING while an attempt holds
 * it (a lease, so an attempt that died is taken over); RETRYING until its next attempt is due;
 * SUBMITTED once Exchange accepted it (Graph's 202), until its message is seen in Sent Items, since
 * Exchange sends later; then SENT or FAILED, which are final.
 */
public enum SendState {
    QUEUED,
    SENDING,
    RETRYING,
    SUBMITTED,
    SENT,
    FAILED;

    public boolean isFinal() {
        return this == SENT || this == FAILED;
    }
}
