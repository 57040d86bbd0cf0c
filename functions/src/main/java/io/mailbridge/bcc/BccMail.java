package io.mailbridge.bcc;

import io.mailbridge.inbound.MailItem;

import java.util.List;
import java.util.Optional;

/**
 * A mail the inbound mail gateway handed over for a BCC address, as {@link BccMailParser} read it.
 *
 * @param item the mail as the CRM would receive it
 * @param deliveryAddresses the addresses of its Delivered-To headers, then of its X-Original-To headers, each
 *     topmost (latest hop) first: where the gateway's own hops say the mail was delivered
 * @param forwardedOriginal the mail this one forwards as its only attachment (message/rfc822), if it is such a forward
 */
public record BccMail(MailItem item, List<String> deliveryAddresses, Optional<BccMail> forwardedOriginal) {

    public BccMail {
        deliveryAddresses = List.copyOf(deliveryAddresses);
    }
}
