package io.mailbridge.outbound;

/**
 * Where one CRM send stands. QUEUED until the sender first takes it; SENDING while an attempt holds
 * it (a lease, so an attempt that died is taken over); RETRYING until its next attempt is due; then
 * SENT or FAILED, which are final.
 */
public enum SendState {
    QUEUED,
    SENDING,
    RETRYING,
    SENT,
    FAILED;

    public boolean isFinal() {
        return this == SENT || this == FAILED;
    }
}
