package io.mailbridge.sandbox.exchange;

import java.time.Instant;
import java.util.List;

/**
 * A message as it is in a mailbox at one moment. immutableId never changes; restId is Graph's
 * default id, which changes when the message moves to another folder.
 */
public record MailMessage(String immutableId, String restId, WellKnownFolder folder, long changeSeq, String changeKey,
                          Instant createdDateTime, Instant lastModifiedDateTime, Instant receivedDateTime, Instant sentDateTime,
                          String subject, String bodyContentType, String bodyContent, Recipient from, Recipient sender,
                          List<Recipient> toRecipients, List<Recipient> ccRecipients, List<Recipient> bccRecipients, List<Recipient> replyTo,
                          String internetMessageId, String conversationId, List<MessageHeader> internetMessageHeaders,
                          List<ExtendedProperty> extendedProperties, List<FileAttachment> attachments, boolean isDraft, boolean isRead,
                          String importance) {

    public String id(boolean immutable) {
        return immutable ? immutableId : restId;
    }

    public boolean hasAttachments() {
        return attachments.stream().anyMatch(attachment -> !attachment.isInline());
    }

    public List<Recipient> allRecipients() {
        return java.util.stream.Stream.of(toRecipients, ccRecipients, bccRecipients).flatMap(List::stream).toList();
    }
}
