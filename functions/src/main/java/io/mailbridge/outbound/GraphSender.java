package io.mailbridge.outbound;

import com.microsoft.graph.core.models.UploadResult;
import com.microsoft.graph.core.tasks.LargeFileUploadTask;
import com.microsoft.graph.models.AttachmentItem;
import com.microsoft.graph.models.AttachmentType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.FileAttachment;
import com.microsoft.graph.models.InternetMessageHeader;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import com.microsoft.graph.models.UploadSession;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.attachments.createuploadsession.CreateUploadSessionPostRequestBody;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.mailbox.MailboxConnection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sends through the user's mailbox with Graph, as a draft first: created with immutable ids (JSON, or MIME for a reply
 * so In-Reply-To and References stay), its large attachments through upload sessions, then sent. The draft's id is the
 * send's identity in the mailbox: Exchange keeps it from Drafts through Outbox to Sent Items, so a later attempt looks
 * at that one message instead of sending again. Every mail also carries the product's mark, a named extended property
 * holding the send id, by which a draft of an attempt that died before recording it is found, and by which the
 * Sent-folder sync knows the CRM's mail.
 */
public final class GraphSender {
    private static final Logger LOG = Logger.getLogger(GraphSender.class.getName());

    /** The product's mark on the mail it sends through a mailbox; the Sent-folder sync recognises the CRM's own mail by it. */
    public static final String SEND_ID_PROPERTY = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name MailbridgeSendId";
    /** The same mark as a header recipients' systems see (Graph takes x- headers only). */
    static final String SEND_ID_HEADER = "x-mailbridge-send-id";
    /** Below Graph's ~4 MB limit for a sendMail (or message create) request, with room for JSON escaping. */
    static final long SEND_MAIL_LIMIT = 3_500_000;
    /** Attachments up to this size are added in one request; larger ones through an upload session (Graph: from 3 MB). */
    static final int DIRECT_ATTACHMENT_LIMIT = 2 * 1024 * 1024;
    /** A multiple of 320 KiB, as upload sessions require, under Outlook's 4 MB per slice. */
    static final long UPLOAD_SLICE = 10 * 320 * 1024;
    /** How long to leave a mailbox alone after a 429 that named no Retry-After. */
    static final Duration THROTTLE_PAUSE = Duration.ofSeconds(30);

    /** PR_MESSAGE_FLAGS "1" (read, and not unsent) in the create call makes Exchange store a sent message, not a draft. */
    static final String MESSAGE_FLAGS_PROPERTY = "Integer 0x0E07";
    static final String SENT_MESSAGE_FLAGS = "1";
    /** PR_CLIENT_SUBMIT_TIME and PR_MESSAGE_DELIVERY_TIME: what Graph shows as sentDateTime and receivedDateTime. */
    static final String SUBMIT_TIME_PROPERTY = "SystemTime 0x0039";
    static final String DELIVERY_TIME_PROPERTY = "SystemTime 0x0E06";
    /**
     * Ends the mark of a Sent Items copy whose attachments are still being added; the mark becomes the bare send id once
     * the copy is whole. The Sent Items sync passes over an unfinished copy: finishing it is a change delta reports.
     */
    public static final String UNFINISHED_COPY = ":unfinished";

    /** Makes Graph name messages by immutable id, which stays the same from Drafts through Outbox to Sent Items. */
    static final String IMMUTABLE_IDS = "IdType=\"ImmutableId\"";

    /** What making a send's draft came to: its immutable id, or the attempt's result without a draft to send. */
    sealed interface Drafting {
        record Made(String draftId) implements Drafting {}

        record NotMade(SendResult result) implements Drafting {}
    }

    /** Where the message a send goes out as is now. */
    public enum Whereabouts {
        /** Still a draft: it was never sent. */
        DRAFT,
        /** A draft the user deleted: it will not be sent. */
        DELETED_DRAFT,
        /** Accepted, not yet sent by Exchange. */
        IN_OUTBOX,
        /** Sent: in Sent Items (or wherever the user moved it since). */
        SENT,
        /** Not in the mailbox (yet): Exchange is between folders with it, or it is gone. */
        MISSING
    }

    /** A message in the mailbox that carries a send's mark. */
    public record MailboxCopy(String id, boolean draft, String internetMessageId) {}

    private final MailboxGraph mailboxGraph;

    public GraphSender(MailboxGraph mailboxGraph) {
        this.mailboxGraph = mailboxGraph;
    }

    /** A Graph client for the connection's mailbox, for the calls of one attempt. @throws MicrosoftException when no token can be had */
    public Session open(MailboxConnection connection) {
        MailboxGraph.Session session = mailboxGraph.open(connection);
        return new Session(connection, session.client(), session.mailboxId());
    }

    /** One attempt's calls on one mailbox. */
    public final class Session {
        private final MailboxConnection connection;
        private final GraphServiceClient graph;
        private final String mailboxId;
        private final Map<String, String> folderIds = new HashMap<>();

        private Session(MailboxConnection connection, GraphServiceClient graph, String mailboxId) {
            this.connection = connection;
            this.graph = graph;
            this.mailboxId = mailboxId;
        }

        /** The mailbox's immutable id, which its sending quota is kept under. */
        public String mailboxId() {
            return mailboxId;
        }

        /** The mail carrying the send's mark, anywhere in the mailbox; a sent copy before a draft. @throws MicrosoftException */
        public Optional<MailboxCopy> findCopy(String sendId) {
            MessageCollectionResponse found = call(() -> graph.me().messages().get(request -> {
                request.queryParameters.filter = "singleValueExtendedProperties/any(ep: ep/id eq '" + SEND_ID_PROPERTY
                        + "' and ep/value eq '" + sendId + "')";
                request.queryParameters.select = new String[] {"id", "isDraft", "internetMessageId"};
            }));
            return (found.getValue() == null ? List.<Message>of() : found.getValue()).stream()
                    .map(m -> new MailboxCopy(m.getId(), Boolean.TRUE.equals(m.getIsDraft()), m.getInternetMessageId()))
                    .min(Comparator.comparing(MailboxCopy::draft));
        }

        /** Deletes a draft (or an unfinished Sent Items copy) an attempt left behind. @throws MicrosoftException */
        public void discard(String messageId) {
            try {
                call(() -> {
                    graph.me().messages().byMessageId(messageId).delete();
                    return null;
                });
            } catch (MicrosoftException e) {
                if (!e.failure().isNotFound()) {
                    throw e;
                }
            }
        }

        /**
         * Writes the copy Outlook would have kept of mail that left by the relay into Sent Items: a sent message, not a
         * draft (PR_MESSAGE_FLAGS in the create call), sent and received at the send's time, with its Message-ID,
         * recipients, body, attachments and the send's mark. Mail over the create request's limit is created without its
         * attachments under an unfinished mark, which becomes the send id once every attachment is in: a copy is never
         * found whole before it is. Returns the copy's id. @throws MicrosoftException
         */
        public String saveSentCopy(OutboxRecord record, OutgoingMail mail) {
            boolean large = estimatedRequestBytes(mail) > SEND_MAIL_LIMIT;
            Message copy = message(record, mail, !large);
            String mark = large ? record.sendId() + UNFINISHED_COPY : record.sendId();
            String sentAt = record.delivery().sentAt().toString();
            copy.setFrom(recipient(new OutgoingMail.Address(mail.from(), null)));
            copy.setSingleValueExtendedProperties(new ArrayList<>(List.of(property(SEND_ID_PROPERTY, mark),
                    property(MESSAGE_FLAGS_PROPERTY, SENT_MESSAGE_FLAGS), property(SUBMIT_TIME_PROPERTY, sentAt),
                    property(DELIVERY_TIME_PROPERTY, sentAt))));
            String id = call(() -> graph.me().mailFolders().byMailFolderId("sentitems").messages().post(copy)).getId();
            if (large) {
                try {
                    for (OutgoingMail.Attachment attachment : mail.attachments()) {
                        attach(id, attachment);
                    }
                } catch (IOException | CancellationException e) {
                    throw new MicrosoftException(MicrosoftFailure.unreachable(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MicrosoftException(MicrosoftFailure.interrupted());
                } catch (RuntimeException e) {
                    throw MicrosoftException.of(e);
                }
                Message whole = new Message();
                whole.setSingleValueExtendedProperties(new ArrayList<>(List.of(property(SEND_ID_PROPERTY, record.sendId()))));
                call(() -> graph.me().messages().byMessageId(id).patch(whole));
            }
            return id;
        }

        /** Removes a Sent Items copy of the send that an earlier write-back left without all its attachments. @throws MicrosoftException */
        public void discardUnfinishedCopy(String sendId) {
            Optional<MailboxCopy> unfinished = findCopy(sendId + UNFINISHED_COPY);
            if (unfinished.isPresent()) {
                discard(unfinished.get().id());
            }
        }

        /**
         * Creates the draft the send goes out as: JSON, or MIME for a reply, since Graph's JSON takes only x- headers and
         * MIME keeps In-Reply-To and References (Exchange threads the reply by them). It carries the send's mark and every
         * attachment (large ones through upload sessions). A draft left half-made is deleted, or found later by its mark
         * and deleted then. A Microsoft failure becomes the result, never an exception.
         */
        Drafting createDraft(OutboxRecord record, OutgoingMail mail) {
            boolean large = estimatedRequestBytes(mail) > SEND_MAIL_LIMIT;
            boolean reply = mail.inReplyTo() != null || !mail.references().isEmpty();
            String draftId;
            try {
                draftId = reply ? createMimeDraft(record, large ? mail.withoutAttachments() : mail)
                        : graph.me().messages().post(message(record, mail, !large), GraphSender::preferImmutableIds).getId();
            } catch (RuntimeException e) {
                return new Drafting.NotMade(refusal(MicrosoftException.of(e).failure(), false));
            }
            try {
                if (reply) {
                    // MIME carries headers, not MAPI properties: the mark the Sent-folder sync knows the CRM's mail by is set after.
                    Message marked = new Message();
                    marked.setSingleValueExtendedProperties(new ArrayList<>(List.of(property(SEND_ID_PROPERTY, record.sendId()))));
                    graph.me().messages().byMessageId(draftId).patch(marked, GraphSender::preferImmutableIds);
                }
                if (large) {
                    for (OutgoingMail.Attachment attachment : mail.attachments()) {
                        attach(draftId, attachment);
                    }
                }
                return new Drafting.Made(draftId);
            } catch (ApiException e) {
                return new Drafting.NotMade(refusal(MicrosoftFailure.of(e), !discardedQuietly(draftId)));
            } catch (IOException | CancellationException e) {
                return new Drafting.NotMade(SendResult.Retryable.failed(null, "An attachment upload to the mailbox did not finish: "
                        + e.getClass().getSimpleName()).possiblySentIf(!discardedQuietly(draftId)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Drafting.NotMade(SendResult.Retryable.failed(null, "Interrupted while making the draft").possiblySent());
            } catch (RuntimeException e) {
                // The connection broke with the draft made: it stays for the next attempt, which finds it by its mark.
                return new Drafting.NotMade(refusal(MicrosoftException.of(e).failure(), true));
            }
        }

        /** Graph's "create message in MIME format": the MIME, base64-encoded, as text/plain. */
        private String createMimeDraft(OutboxRecord record, OutgoingMail mail) {
            byte[] mime;
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                MimeMessages.build(jakarta.mail.Session.getInstance(new java.util.Properties()), record, mail, record.updatedAt()).writeTo(out);
                mime = Base64.getEncoder().encode(out.toByteArray());
            } catch (jakarta.mail.MessagingException | IOException e) {
                throw new IllegalStateException("The reply cannot be written as MIME", e);
            }
            RequestInformation request = graph.me().messages().toPostRequestInformation(new Message());
            request.headers.clear();
            request.headers.add("Accept", "application/json");
            request.headers.add("Prefer", IMMUTABLE_IDS);
            request.setStreamContent(new ByteArrayInputStream(mime), "text/plain");
            HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
            errors.put("XXX", ODataError::createFromDiscriminatorValue);
            return graph.getRequestAdapter().send(request, errors, Message::createFromDiscriminatorValue).getId();
        }

        /** Hands the draft to Exchange to send; a Microsoft failure becomes the result, never an exception. */
        SendResult sendDraft(String draftId) {
            try {
                graph.me().messages().byMessageId(draftId).send().post(GraphSender::preferImmutableIds);
                return new SendResult.Sent(null);
            } catch (RuntimeException e) {
                return refusal(MicrosoftException.of(e).failure(), true);
            }
        }

        /** Where the send's message is now, by its immutable id. @throws MicrosoftException */
        public Whereabouts locate(String messageId) {
            Message found;
            try {
                found = call(() -> graph.me().messages().byMessageId(messageId).get(request -> {
                    request.headers.add("Prefer", IMMUTABLE_IDS);
                    request.queryParameters.select = new String[] {"id", "isDraft", "parentFolderId"};
                }));
            } catch (MicrosoftException e) {
                if (e.failure().isNotFound()) {
                    return Whereabouts.MISSING;
                }
                throw e;
            }
            String folder = found.getParentFolderId();
            if (folder != null && folder.equals(folderId("deleteditems"))) {
                return Boolean.TRUE.equals(found.getIsDraft()) ? Whereabouts.DELETED_DRAFT : Whereabouts.SENT;
            }
            if (Boolean.TRUE.equals(found.getIsDraft())) {
                return Whereabouts.DRAFT;
            }
            return folder != null && folder.equals(folderId("outbox")) ? Whereabouts.IN_OUTBOX : Whereabouts.SENT;
        }

        private String folderId(String wellKnownName) {
            return folderIds.computeIfAbsent(wellKnownName, name -> call(() -> graph.me().mailFolders().byMailFolderId(name).get(request -> {
                request.headers.add("Prefer", IMMUTABLE_IDS);
                request.queryParameters.select = new String[] {"id"};
            })).getId());
        }

        /** Deletes every draft carrying the send's mark: left by attempts that died before the outbox knew them. @throws MicrosoftException */
        public void discardOrphanDrafts(String sendId) {
            MessageCollectionResponse found = call(() -> graph.me().mailFolders().byMailFolderId("drafts").messages().get(request -> {
                request.headers.add("Prefer", IMMUTABLE_IDS);
                request.queryParameters.filter = "singleValueExtendedProperties/any(ep: ep/id eq '" + SEND_ID_PROPERTY
                        + "' and ep/value eq '" + sendId + "')";
                request.queryParameters.select = new String[] {"id", "isDraft"};
            }));
            for (Message draft : found.getValue() == null ? List.<Message>of() : found.getValue()) {
                if (Boolean.TRUE.equals(draft.getIsDraft())) {
                    discard(draft.getId());
                }
            }
        }

        private void attach(String draftId, OutgoingMail.Attachment attachment) throws IOException, InterruptedException {
            if (attachment.size() <= DIRECT_ATTACHMENT_LIMIT) {
                graph.me().messages().byMessageId(draftId).attachments().post(fileAttachment(attachment));
                return;
            }
            AttachmentItem item = new AttachmentItem();
            item.setAttachmentType(AttachmentType.File);
            item.setName(attachment.name());
            item.setContentType(attachment.contentType());
            item.setIsInline(attachment.inline());
            item.setContentId(attachment.contentId());
            item.setSize((long) attachment.size());
            CreateUploadSessionPostRequestBody request = new CreateUploadSessionPostRequestBody();
            request.setAttachmentItem(item);
            UploadSession session = graph.me().messages().byMessageId(draftId).attachments().createUploadSession().post(request);
            UploadResult<AttachmentItem> result;
            try {
                result = new LargeFileUploadTask<>(graph.getRequestAdapter(), session, new ByteArrayInputStream(attachment.content()),
                        attachment.size(), UPLOAD_SLICE, AttachmentItem::createFromDiscriminatorValue).upload();
            } catch (IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
                throw new IllegalStateException("The Graph SDK cannot read its own upload session", e);
            }
            if (!result.isUploadSuccessful()) {
                throw new IOException("The upload session of attachment " + attachment.name() + " did not complete");
            }
        }

        /** Deletes a draft if it can; one left behind is found by its mark later. */
        void discardQuietly(String draftId) {
            discardedQuietly(draftId);
        }

        private boolean discardedQuietly(String draftId) {
            try {
                discard(draftId);
                return true;
            } catch (MicrosoftException e) {
                LOG.info(() -> "A draft of " + connection.accountId() + "/" + connection.userId() + " stays for the next attempt to remove: "
                        + e.getMessage());
                return false;
            }
        }

        private Message message(OutboxRecord record, OutgoingMail mail, boolean withAttachments) {
            Message message = new Message();
            message.setSubject(mail.subject());
            ItemBody body = new ItemBody();
            // Graph takes one body; from HTML, Exchange derives the plain-text part itself.
            body.setContentType(mail.html() != null ? BodyType.Html : BodyType.Text);
            body.setContent(mail.html() != null ? mail.html() : mail.text());
            message.setBody(body);
            if (!mail.from().equals(connection.mailboxAddress())) {
                message.setFrom(recipient(new OutgoingMail.Address(mail.from(), null)));
            }
            message.setToRecipients(recipients(mail.to()));
            message.setCcRecipients(recipients(mail.cc()));
            message.setBccRecipients(recipients(mail.bcc()));
            message.setReplyTo(recipients(mail.replyTo()));
            message.setInternetMessageId(record.message().internetMessageId());
            InternetMessageHeader header = new InternetMessageHeader();
            header.setName(SEND_ID_HEADER);
            header.setValue(record.sendId());
            message.setInternetMessageHeaders(List.of(header));
            message.setSingleValueExtendedProperties(List.of(property(SEND_ID_PROPERTY, record.sendId())));
            if (withAttachments && !mail.attachments().isEmpty()) {
                message.setAttachments(new ArrayList<>(mail.attachments().stream().map(GraphSender::fileAttachment).toList()));
            }
            return message;
        }

        private <T> T call(Supplier<T> request) {
            return MicrosoftException.calling(request);
        }
    }

    private static void preferImmutableIds(com.microsoft.kiota.BaseRequestConfiguration request) {
        request.headers.add("Prefer", IMMUTABLE_IDS);
    }

    /** Microsoft's failure of a send as its result. {@code draftLeft}: a draft of this attempt may still be in the mailbox. */
    static SendResult refusal(MicrosoftFailure failure, boolean draftLeft) {
        String said = failure.details().toString();
        Duration retryAfter = failure.retryAfter().orElse(null);
        return switch (failure) {
            case MicrosoftFailure.QuotaSpent spent ->
                    new SendResult.QuotaExhausted(retryAfter, "Exchange reports the mailbox's sending quota spent (" + said + ")");
            case MicrosoftFailure.Throttled throttled -> SendResult.Retryable
                    .throttled(retryAfter == null ? THROTTLE_PAUSE : retryAfter, "Graph throttled the mailbox (" + said + ")")
                    .possiblySentIf(draftLeft);
            // The request may have been carried out before the server failed or the connection broke: the next attempt looks first.
            case MicrosoftFailure.Transient failed -> SendResult.Retryable.failed(retryAfter, "Graph failed (" + said + ")").possiblySent();
            // A token Graph does not take yet (clock skew, replication): a later attempt gets a fresh one.
            case MicrosoftFailure.Reauthenticate reauthenticate ->
                    SendResult.Retryable.failed(null, "Graph refused the access token (" + said + ")").possiblySentIf(draftLeft);
            case MicrosoftFailure.MailboxUnusable unusable -> rejected(said);
            case MicrosoftFailure.AccessDenied denied -> rejected(said);
            case MicrosoftFailure.NotFound notFound -> rejected(said);
            case MicrosoftFailure.ResyncRequired resync -> rejected(said);
            case MicrosoftFailure.Refused refused -> rejected(said);
        };
    }

    private static SendResult rejected(String said) {
        return new SendResult.Rejected("The mailbox refused the mail: " + said);
    }

    /** What sendMail's request body will weigh: attachments go base64, bodies may grow by JSON escaping. */
    static long estimatedRequestBytes(OutgoingMail mail) {
        long bytes = 64 * 1024;
        String body = mail.html() != null ? mail.html() : mail.text();
        bytes += 2L * body.getBytes(StandardCharsets.UTF_8).length;
        for (OutgoingMail.Attachment attachment : mail.attachments()) {
            bytes += 4L * ((attachment.size() + 2) / 3) + 1024;
        }
        return bytes;
    }

    private static SingleValueLegacyExtendedProperty property(String id, String value) {
        SingleValueLegacyExtendedProperty property = new SingleValueLegacyExtendedProperty();
        property.setId(id);
        property.setValue(value);
        return property;
    }

    private static FileAttachment fileAttachment(OutgoingMail.Attachment attachment) {
        FileAttachment file = new FileAttachment();
        file.setName(attachment.name());
        file.setContentType(attachment.contentType());
        file.setContentBytes(attachment.content());
        file.setIsInline(attachment.inline());
        file.setContentId(attachment.contentId());
        return file;
    }

    private static List<Recipient> recipients(List<OutgoingMail.Address> addresses) {
        return new ArrayList<>(addresses.stream().map(GraphSender::recipient).toList());
    }

    private static Recipient recipient(OutgoingMail.Address address) {
        EmailAddress email = new EmailAddress();
        email.setAddress(address.address());
        email.setName(address.name());
        Recipient recipient = new Recipient();
        recipient.setEmailAddress(email);
        return recipient;
    }
}
