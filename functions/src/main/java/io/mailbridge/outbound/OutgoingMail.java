package io.mailbridge.outbound;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One mail the CRM asked to send, as checked and normalised by {@link SendRequestBody}: kept as a
 * payload blob until it has left (and, for mail to be written back into Sent Items, until then).
 * {@code from} is the mailbox's primary address or one of its aliases; {@code text} and {@code html}
 * are the body in either or both forms; {@code inReplyTo} and {@code references} thread a reply.
 */
public record OutgoingMail(
        String from,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        List<Address> replyTo,
        String subject,
        String text,
        String html,
        List<Attachment> attachments,
        String inReplyTo,
        List<String> references) {

    /** A mail address with an optional display name. */
    public record Address(String address, String name) {}

    /** A file sent with the mail; {@code contentId} lets an inline one be referenced from the HTML (cid:). */
    public record Attachment(String name, String contentType, String contentId, boolean inline, byte[] content) {
        public Attachment {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        public int size() {
            return content.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Attachment a && name.equals(a.name) && contentType.equals(a.contentType)
                    && Objects.equals(contentId, a.contentId) && inline == a.inline && Arrays.equals(content, a.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, contentType, contentId, inline, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Attachment[" + name + ", " + contentType + ", " + content.length + " bytes]";
        }
    }

    public OutgoingMail {
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        attachments = List.copyOf(attachments);
        references = List.copyOf(references);
    }

    /** What Exchange counts against the mailbox's quota: every To, Cc and Bcc recipient. */
    public int recipientCount() {
        return to.size() + cc.size() + bcc.size();
    }

    /** The same mail without its attachments, which then go to the draft one by one. */
    OutgoingMail withoutAttachments() {
        return new OutgoingMail(from, to, cc, bcc, replyTo, subject, text, html, List.of(), inReplyTo, references);
    }

    /** Without subject, bodies or attachment contents: a mail's content never reaches a log. */
    @Override
    public String toString() {
        return "OutgoingMail[from=" + from + ", " + recipientCount() + " recipients, " + attachments.size() + " attachments]";
    }
}
