package io.mailbridge.inbound;

import com.microsoft.graph.models.Attachment;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import io.mailbridge.outbound.GraphSender;
import java.time.OffsetDateTime;
import java.util.List;

/** Turns Graph messages into {@link MailItem}s; what delta selects and what the body fetch adds. */
final class GraphMail {
    /** What prospect matching and de-duplication need. */
    private static final String[] MATCHING_SELECT = {"internetMessageId", "conversationId", "subject", "from", "toRecipients",
            "ccRecipients", "bccRecipients", "receivedDateTime", "sentDateTime", "isDraft", "hasAttachments"};
    /**
     * The Inbox delta also carries the body ($select is documented for message delta), so prospect mail without
     * attachments needs no second request; Sent Items mail is fetched again anyway for the product's mark.
     */
    private static final String[] INBOX_DELTA_SELECT = concat(MATCHING_SELECT, "body");
    static final String[] BODY_SELECT = {"internetMessageId", "conversationId", "subject", "from", "toRecipients",
            "ccRecipients", "bccRecipients", "receivedDateTime", "sentDateTime", "body"};
    static final String[] ATTACHMENTS_EXPAND = {"attachments($select=id,name,contentType,size,isInline)"};
    /** In Sent Items the body fetch also reads the product's mark, by which the CRM's own mail is recognised. */
    static final String[] SENT_ITEMS_EXPAND = {ATTACHMENTS_EXPAND[0],
            "singleValueExtendedProperties($filter=id eq '" + GraphSender.SEND_ID_PROPERTY + "')"};

    private GraphMail() {}

    /** The $select of a new delta round; Graph keeps it in the nextLink and deltaLink that follow. */
    static String[] deltaSelect(MailItem.Source source) {
        return source == MailItem.Source.INBOX ? INBOX_DELTA_SELECT : MATCHING_SELECT;
    }

    /**
     * Whether the delta's own copy of a mail is all the CRM needs: it carries the body, has no attachments (inline
     * ones leave hasAttachments false but are referenced by cid: in the HTML), and needs no mark. A round begun
     * before bodies were selected carries none, so its mail is still fetched.
     */
    static boolean isComplete(MailItem.Source source, Message message) {
        return source == MailItem.Source.INBOX && message.getBody() != null && message.getBody().getContent() != null
                && !Boolean.TRUE.equals(message.getHasAttachments())
                && !(message.getBody().getContentType() != BodyType.Text && message.getBody().getContent().contains("cid:"));
    }

    private static String[] concat(String[] names, String name) {
        String[] all = java.util.Arrays.copyOf(names, names.length + 1);
        all[names.length] = name;
        return all;
    }

    static boolean isRemoved(Message message) {
        return message.getAdditionalData() != null && message.getAdditionalData().containsKey("@removed");
    }

    static MailItem item(MailItem.Source source, Message message) {
        String html = null;
        String text = null;
        if (message.getBody() != null && message.getBody().getContent() != null) {
            if (message.getBody().getContentType() == BodyType.Text) {
                text = message.getBody().getContent();
            } else {
                html = message.getBody().getContent();
                text = HtmlText.of(html);
            }
        }
        List<MailItem.Attachment> attachments = message.getAttachments() == null ? List.of()
                : message.getAttachments().stream().map(GraphMail::attachment).toList();
        return new MailItem(source, message.getId(), message.getInternetMessageId(), message.getConversationId(),
                message.getSubject(), address(message.getFrom()), addresses(message.getToRecipients()),
                addresses(message.getCcRecipients()), addresses(message.getBccRecipients()), instant(message.getSentDateTime()),
                instant(message.getReceivedDateTime()), text, html, attachments, crmSendId(message));
    }

    /** A Sent Items copy the write-back is still adding attachments to: not the mail yet. */
    static boolean isUnfinishedCopy(Message message) {
        String mark = crmSendId(message);
        return mark != null && mark.endsWith(GraphSender.UNFINISHED_COPY);
    }

    /** The send id the product marked the message with, when the body fetch expanded the mark and it is there. */
    private static String crmSendId(Message message) {
        List<SingleValueLegacyExtendedProperty> properties = message.getSingleValueExtendedProperties();
        return properties == null ? null : properties.stream()
                .filter(p -> GraphSender.SEND_ID_PROPERTY.equalsIgnoreCase(p.getId()) && p.getValue() != null && !p.getValue().isBlank())
                .map(SingleValueLegacyExtendedProperty::getValue).findFirst().orElse(null);
    }

    private static MailItem.Attachment attachment(Attachment a) {
        return new MailItem.Attachment(a.getId(), a.getName(), a.getContentType(), a.getSize() == null ? 0 : a.getSize(),
                Boolean.TRUE.equals(a.getIsInline()));
    }

    private static List<MailItem.Address> addresses(List<Recipient> recipients) {
        return recipients == null ? List.of() : recipients.stream().map(GraphMail::address).filter(a -> a != null).toList();
    }

    private static MailItem.Address address(Recipient recipient) {
        if (recipient == null || recipient.getEmailAddress() == null) {
            return null;
        }
        return new MailItem.Address(recipient.getEmailAddress().getName(), recipient.getEmailAddress().getAddress());
    }

    private static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
