package io.mailbridge.sandbox.exchange;

import java.time.Instant;
import java.util.List;

/**
 * A message as a client or a sender hands it over, before the mailbox gives it ids and times.
 * Null means "not given": the mailbox fills in what Exchange would.
 */
public record NewMessage(String subject, String bodyContentType, String bodyContent, Recipient from, List<Recipient> toRecipients,
                         List<Recipient> ccRecipients, List<Recipient> bccRecipients, List<Recipient> replyTo, String internetMessageId,
                         List<MessageHeader> internetMessageHeaders, List<ExtendedProperty> extendedProperties,
                         List<FileAttachment> attachments, Instant sentDateTime, Instant receivedDateTime, Boolean isRead, String importance) {

    public NewMessage {
        toRecipients = List.copyOf(toRecipients);
        ccRecipients = List.copyOf(ccRecipients);
        bccRecipients = List.copyOf(bccRecipients);
        replyTo = List.copyOf(replyTo);
        internetMessageHeaders = List.copyOf(internetMessageHeaders);
        extendedProperties = List.copyOf(extendedProperties);
        attachments = List.copyOf(attachments);
    }

    /** A plain message: the shape tests and the delivery page use. */
    public static NewMessage simple(String from, List<String> to, String subject, String textBody) {
        return new NewMessage(subject, "text", textBody, Recipient.of(from), to.stream().map(Recipient::of).toList(), List.of(), List.of(),
                List.of(), null, List.of(), List.of(), List.of(), null, null, null, null);
    }

    public List<String> allRecipientAddresses() {
        return java.util.stream.Stream.of(toRecipients, ccRecipients, bccRecipients).flatMap(List::stream).map(Recipient::address).toList();
    }

    public int recipientCount() {
        return toRecipients.size() + ccRecipients.size() + bccRecipients.size();
    }

    public NewMessage withFrom(Recipient sender) {
        return new NewMessage(subject, bodyContentType, bodyContent, sender, toRecipients, ccRecipients, bccRecipients, replyTo,
                internetMessageId, internetMessageHeaders, extendedProperties, attachments, sentDateTime, receivedDateTime, isRead, importance);
    }

    public NewMessage withHeaders(List<MessageHeader> headers) {
        return new NewMessage(subject, bodyContentType, bodyContent, from, toRecipients, ccRecipients, bccRecipients, replyTo,
                internetMessageId, headers, extendedProperties, attachments, sentDateTime, receivedDateTime, isRead, importance);
    }

    public NewMessage withAttachments(List<FileAttachment> files) {
        return new NewMessage(subject, bodyContentType, bodyContent, from, toRecipients, ccRecipients, bccRecipients, replyTo,
                internetMessageId, internetMessageHeaders, extendedProperties, files, sentDateTime, receivedDateTime, isRead, importance);
    }
}
