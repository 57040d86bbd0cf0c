package io.mailbridge.outbound;

/** Routes of the sending API, under the mailbox API's {@code accounts/{accountId}/mailboxes/{userId}}. */
final class OutboundRoutes {
    static final String SENDS = "accounts/{accountId}/mailboxes/{userId}/sends";
    static final String SEND = SENDS + "/{sendId}";
    static final String SENDING = "accounts/{accountId}/mailboxes/{userId}/sending";

    private OutboundRoutes() {}
}
