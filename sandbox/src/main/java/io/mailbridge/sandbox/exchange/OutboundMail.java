package io.mailbridge.sandbox.exchange;

import java.time.Instant;
import java.util.List;

/** Mail that left a sandbox mailbox for addresses outside the sandbox (what "the internet" received). */
public record OutboundMail(String senderUserId, String internetMessageId, List<String> recipients, NewMessage message, Instant at) {

    public OutboundMail {
        recipients = List.copyOf(recipients);
    }
}
