package io.mailbridge.inbound;

import java.time.Instant;
import java.util.List;

/**
 * One mail as the CRM receives it, whichever way it reached the product (Graph delta, BCC address).
 * {@code graphMessageId} is the immutable Graph id when the mail came from the mailbox.
 * {@code crmSendId} is set when the mail is the CRM's own: a Sent Items message carrying the send id
 * the product marks every CRM mail with ({@code GraphSender.SEND_ID_PROPERTY}); null for anything else.
 */
public record MailItem(
        Source source,
        String graphMessageId,
        String internetMessageId,
        String conversationId,
        String subject,
        Address from,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        Instant sentAt,
        Instant receivedAt,
        String textBody,
        String htmlBody,
        List<Attachment> attachments,
        String crmSendId) {

    public enum Source {
        /** Found by delta in the mailbox's Inbox. */
        INBOX,
        /** Found by delta in the mailbox's Sent Items. */
        SENT_ITEMS,
        /** Sent to the connection's BCC address by the inbound mail gateway. */
        BCC
    }

    public record Address(String name, String address) {}

    /** What the CRM learns of an attachment; {@code id} fetches its content through the mailbox API where there is one. */
    public record Attachment(String id, String name, String contentType, long size, boolean inline) {}

    public MailItem {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        attachments = List.copyOf(attachments);
    }
}
