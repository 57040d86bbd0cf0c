package io.mailbridge.sandbox.exchange;

import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxUser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One user's Exchange mailbox: its folders and messages, change tracking for delta, and the
 * change feed that subscriptions listen to. Every operation holds the mailbox's lock, so a change
 * and its change number are one step; listeners must only enqueue.
 */
public final class Mailbox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID = Base64.getUrlEncoder().withoutPadding();

    private final SandboxUser user;
    private final SandboxClock clock;
    private final Consumer<MailboxChange> listener;
    private volatile Duration deltaTokenLifetime;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, String> immutableIdByRestId = new HashMap<>();
    private final List<Tombstone> tombstones = new ArrayList<>();
    private final Map<String, String> conversationBySubject = new HashMap<>();
    private final Map<String, DeltaToken> deltaTokens = new HashMap<>();
    private final Map<String, DeltaCursor> skipTokens = new HashMap<>();
    private long changeSeq;
    private long deltaEpoch;
    private long attachmentCounter;

    Mailbox(SandboxUser user, SandboxClock clock, Duration deltaTokenLifetime, Consumer<MailboxChange> listener) {
        this.user = user;
        this.clock = clock;
        this.deltaTokenLifetime = deltaTokenLifetime;
        this.listener = listener;
    }

    /** The mutable state of one message; never leaves the lock, callers get MailMessage snapshots. */
    private static final class Item {
        String immutableId;
        String restId;
        WellKnownFolder folder;
        long seq;
        Instant created;
        Instant modified;
        Instant received;
        Instant sent;
        NewMessage content;
        String internetMessageId;
        String conversationId;
        Recipient from;
        List<ExtendedProperty> properties;
        List<FileAttachment> attachments;
        boolean draft;
        boolean read;
        int moves;

        MailMessage snapshot() {
            return new MailMessage(immutableId, restId, folder, seq, "CQAAAB" + ID.encodeToString(Long.toString(seq).getBytes(StandardCharsets.US_ASCII)),
                    created, modified, received, sent, content.subject(), content.bodyContentType() == null ? "text" : content.bodyContentType(),
                    content.bodyContent() == null ? "" : content.bodyContent(), from, from, content.toRecipients(), content.ccRecipients(),
                    content.bccRecipients(), content.replyTo(), internetMessageId, conversationId, content.internetMessageHeaders(),
                    List.copyOf(properties), List.copyOf(attachments), draft, read, content.importance() == null ? "normal" : content.importance());
        }
    }

    private record Tombstone(WellKnownFolder folder, String immutableId, String restId, long seq) {
    }

    private record DeltaToken(WellKnownFolder folder, long since, String select, Instant receivedSince, Instant issuedAt, long epoch) {
    }

    private record DeltaRound(WellKnownFolder folder, List<DeltaEntry> entries, long upto, String select, Instant receivedSince, Instant issuedAt, long epoch) {
    }

    private record DeltaEntry(String immutableId, String removedRestId) {
    }

    private record DeltaCursor(DeltaRound round, int position) {
    }

    public SandboxUser user() {
        return user;
    }

    public String folderId(WellKnownFolder folder) {
        return ID.encodeToString(("folder:" + user.id() + ":" + folder.wellKnownName()).getBytes(StandardCharsets.UTF_8));
    }

    /** A folder by well-known name or by id. */
    public Optional<WellKnownFolder> folder(String nameOrId) {
        Optional<WellKnownFolder> named = WellKnownFolder.named(nameOrId);
        if (named.isPresent()) {
            return named;
        }
        for (WellKnownFolder folder : WellKnownFolder.values()) {
            if (folderId(folder).equals(nameOrId)) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    void deltaTokenLifetime(Duration lifetime) {
        this.deltaTokenLifetime = lifetime;
    }

    // ---- storing ----

    /**
     * A client's create (Graph POST .../messages): a draft unless PR_MESSAGE_FLAGS says it was sent; its sent and
     * received times from PR_CLIENT_SUBMIT_TIME and PR_MESSAGE_DELIVERY_TIME when the create sets them, as migrations do.
     */
    public synchronized MailMessage createItem(WellKnownFolder folder, NewMessage message) {
        Optional<Integer> flags = property(message, ExtendedProperty.PR_MESSAGE_FLAGS).map(Mailbox::parseFlags);
        boolean draft = flags.map(value -> (value & 0x8) != 0).orElse(true);
        boolean read = flags.map(value -> (value & 0x1) != 0).orElse(message.isRead() == null || message.isRead());
        Instant sent = property(message, ExtendedProperty.PR_CLIENT_SUBMIT_TIME).map(Mailbox::parseTime).orElse(message.sentDateTime());
        Instant received = property(message, ExtendedProperty.PR_MESSAGE_DELIVERY_TIME).map(Mailbox::parseTime)
                .orElse(message.receivedDateTime());
        NewMessage timed = new NewMessage(message.subject(), message.bodyContentType(), message.bodyContent(), message.from(),
                message.toRecipients(), message.ccRecipients(), message.bccRecipients(), message.replyTo(), message.internetMessageId(),
                message.internetMessageHeaders(), message.extendedProperties(), message.attachments(), sent, received, message.isRead(),
                message.importance());
        return store(folder, timed, draft, read);
    }

    private static Optional<String> property(NewMessage message, String id) {
        return message.extendedProperties().stream().filter(property -> property.id().equalsIgnoreCase(id))
                .map(ExtendedProperty::value).findFirst();
    }

    private static Instant parseTime(String value) {
        try {
            return java.time.OffsetDateTime.parse(value.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("A SystemTime property must be an ISO 8601 date and time, not '" + value + "'");
        }
    }

    private static int parseFlags(String value) {
        try {
            return Integer.decode(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PR_MESSAGE_FLAGS must be an integer, not '" + value + "'");
        }
    }

    /** Mail arriving from outside: lands unread in the Inbox. */
    public synchronized MailMessage receive(NewMessage message) {
        return store(WellKnownFolder.INBOX, message, false, message.isRead() != null && message.isRead());
    }

    /** The copy of a sent message that Exchange keeps in Sent Items. */
    public synchronized MailMessage saveSentCopy(NewMessage message) {
        return store(WellKnownFolder.SENT_ITEMS, message, false, true);
    }

    private MailMessage store(WellKnownFolder folder, NewMessage message, boolean draft, boolean read) {
        Instant now = clock.now();
        Item item = new Item();
        item.immutableId = "AAkALg" + randomId();
        item.folder = folder;
        item.restId = restId(item);
        item.seq = ++changeSeq;
        item.created = now;
        item.modified = now;
        item.received = message.receivedDateTime() != null ? message.receivedDateTime() : now;
        item.sent = message.sentDateTime() != null ? message.sentDateTime() : (draft ? null : now);
        item.content = message;
        item.internetMessageId = message.internetMessageId() != null ? message.internetMessageId()
                : "<" + randomId().substring(0, 24).toLowerCase(Locale.ROOT) + "@" + domainOf(user.mail()) + ">";
        item.conversationId = conversationFor(message);
        item.from = message.from() != null ? message.from() : new Recipient(user.displayName(), user.mail());
        item.properties = new ArrayList<>(message.extendedProperties());
        item.attachments = new ArrayList<>();
        for (FileAttachment attachment : message.attachments()) {
            item.attachments.add(withAttachmentId(attachment, now));
        }
        item.draft = draft;
        item.read = read;
        items.put(item.immutableId, item);
        immutableIdByRestId.put(item.restId, item.immutableId);
        return changed(item, ChangeType.CREATED);
    }

    private FileAttachment withAttachmentId(FileAttachment attachment, Instant now) {
        String id = attachment.id() != null ? attachment.id() : "AAMkA" + ID.encodeToString(("att-" + (++attachmentCounter) + "-" + randomId()).getBytes(StandardCharsets.US_ASCII));
        return new FileAttachment(id, attachment.name(), attachment.contentType(), attachment.content(), attachment.isInline(), attachment.contentId(), now);
    }

    /** Exchange threads by In-Reply-To/References when it knows the parent, else by the normalised subject. */
    private String conversationFor(NewMessage message) {
        for (MessageHeader header : message.internetMessageHeaders()) {
            if (header.name().equalsIgnoreCase("In-Reply-To") || header.name().equalsIgnoreCase("References")) {
                for (Item existing : items.values()) {
                    if (header.value().contains(existing.internetMessageId)) {
                        return existing.conversationId;
                    }
                }
            }
        }
        String topic = normalisedSubject(message.subject());
        return conversationBySubject.computeIfAbsent(topic, key -> "AAQkA" + randomId());
    }

    private static String normalisedSubject(String subject) {
        String topic = subject == null ? "" : subject.trim();
        while (topic.matches("(?i)^(re|fw|fwd|aw|wg):.*")) {
            topic = topic.substring(topic.indexOf(':') + 1).trim();
        }
        return topic.toLowerCase(Locale.ROOT);
    }

    private MailMessage changed(Item item, ChangeType type) {
        MailMessage snapshot = item.snapshot();
        listener.accept(new MailboxChange(user.id(), item.folder, type, snapshot));
        return snapshot;
    }

    // ---- reading ----

    /** By Graph's default id or by immutable id. */
    public synchronized Optional<MailMessage> get(String id) {
        return find(id).map(Item::snapshot);
    }

    private Optional<Item> find(String id) {
        Item item = items.get(id);
        if (item == null) {
            String immutable = immutableIdByRestId.get(id);
            item = immutable == null ? null : items.get(immutable);
            if (item != null && !item.restId.equals(id)) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(item);
    }

    /** The folder's messages, newest received first (Graph's default order). */
    public synchronized List<MailMessage> list(WellKnownFolder folder) {
        return items.values().stream().filter(item -> item.folder == folder)
                .sorted(Comparator.comparing((Item item) -> item.received).reversed().thenComparing(item -> -item.seq))
                .map(Item::snapshot).toList();
    }

    public synchronized List<MailMessage> all() {
        return items.values().stream().map(Item::snapshot).toList();
    }

    // ---- changing ----

    /** What a client may change on a message (Graph PATCH): null leaves a property as it is. */
    public record Patch(Boolean isRead, String subject, String bodyContentType, String bodyContent, List<ExtendedProperty> extendedProperties) {
    }

    public synchronized Optional<MailMessage> patch(String id, Patch patch) {
        Optional<Item> found = find(id);
        found.ifPresent(item -> {
            if (patch.isRead() != null) {
                item.read = patch.isRead();
            }
            if (patch.subject() != null || patch.bodyContent() != null) {
                NewMessage c = item.content;
                item.content = new NewMessage(patch.subject() != null ? patch.subject() : c.subject(),
                        patch.bodyContent() != null ? patch.bodyContentType() : c.bodyContentType(),
                        patch.bodyContent() != null ? patch.bodyContent() : c.bodyContent(), c.from(), c.toRecipients(), c.ccRecipients(),
                        c.bccRecipients(), c.replyTo(), c.internetMessageId(), c.internetMessageHeaders(), c.extendedProperties(),
                        c.attachments(), c.sentDateTime(), c.receivedDateTime(), c.isRead(), c.importance());
            }
            for (ExtendedProperty property : patch.extendedProperties()) {
                item.properties.removeIf(existing -> existing.id().equalsIgnoreCase(property.id()));
                item.properties.add(property);
            }
            touch(item);
        });
        return found.map(item -> changed(item, ChangeType.UPDATED));
    }

    public synchronized Optional<MailMessage> addAttachment(String messageId, FileAttachment attachment) {
        Optional<Item> found = find(messageId);
        found.ifPresent(item -> {
            item.attachments.add(withAttachmentId(attachment, clock.now()));
            touch(item);
        });
        return found.map(item -> changed(item, ChangeType.UPDATED));
    }

    /** Moves a message: its immutable id stays, its default id changes, the source folder sees a removal. */
    public synchronized Optional<MailMessage> move(String id, WellKnownFolder destination) {
        Optional<Item> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Item item = found.get();
        if (item.folder == destination) {
            return Optional.of(item.snapshot());
        }
        removeFromFolder(item);
        item.folder = destination;
        item.moves++;
        item.restId = restId(item);
        immutableIdByRestId.put(item.restId, item.immutableId);
        touch(item);
        return Optional.of(changed(item, ChangeType.CREATED));
    }

    /** Graph's DELETE: to Deleted Items, or gone for good when already there. */
    public synchronized boolean delete(String id) {
        Optional<Item> found = find(id);
        if (found.isEmpty()) {
            return false;
        }
        if (found.get().folder == WellKnownFolder.DELETED_ITEMS) {
            return purge(id);
        }
        move(id, WellKnownFolder.DELETED_ITEMS);
        return true;
    }

    /** Removes a message from the mailbox entirely (a hard delete). */
    public synchronized boolean purge(String id) {
        Optional<Item> found = find(id);
        found.ifPresent(item -> {
            removeFromFolder(item);
            items.remove(item.immutableId);
        });
        return found.isPresent();
    }

    /**
     * Submits a draft (Graph's send): it stops being a draft and moves to Outbox until the transport takes it. Its
     * immutable id stays; its default id changes with the move, as Exchange's does.
     */
    synchronized Optional<MailMessage> submit(String id) {
        Optional<Item> found = find(id).filter(item -> item.draft);
        found.ifPresent(item -> {
            item.draft = false;
            item.read = true;
            item.sent = clock.now();
        });
        return found.flatMap(item -> move(item.immutableId, WellKnownFolder.OUTBOX));
    }

    /**
     * Graph's createReply/createReplyAll: a draft answering the message, in its conversation, addressed to its Reply-To
     * (else its sender) and, for all, its other recipients but this mailbox; In-Reply-To and References point at it.
     */
    public synchronized Optional<MailMessage> createReply(String id, boolean all, String comment) {
        Optional<Item> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Item original = found.get();
        NewMessage content = original.content;
        List<Recipient> to = new ArrayList<>(content.replyTo().isEmpty() ? List.of(original.from) : content.replyTo());
        List<Recipient> cc = new ArrayList<>();
        if (all) {
            content.toRecipients().stream().filter(r -> !user.owns(r.address())).forEach(to::add);
            content.ccRecipients().stream().filter(r -> !user.owns(r.address())).forEach(cc::add);
        }
        String references = content.internetMessageHeaders().stream().filter(h -> h.name().equalsIgnoreCase("References"))
                .map(h -> h.value().trim() + " ").findFirst().orElse("") + original.internetMessageId;
        String subject = content.subject() == null ? "" : content.subject();
        NewMessage reply = new NewMessage(subject.regionMatches(true, 0, "RE:", 0, 3) ? subject : "RE: " + subject, "html",
                (comment == null ? "" : comment), new Recipient(user.displayName(), user.mail()), to, cc, List.of(), List.of(), null,
                List.of(new MessageHeader("In-Reply-To", original.internetMessageId), new MessageHeader("References", references)),
                List.of(), List.of(), null, null, true, null);
        return Optional.of(store(WellKnownFolder.DRAFTS, reply, true, true));
    }

    /** sendMail's message, accepted: it waits in Outbox, already sent from the client's point of view. */
    synchronized MailMessage submitNew(NewMessage message) {
        return store(WellKnownFolder.OUTBOX, message, false, true);
    }

    /**
     * The transport takes a submitted message out of Outbox: into Sent Items when {@code keepCopy}, else gone.
     * Empty when it is no longer in Outbox (the user deleted or moved it meanwhile: Exchange does not send it then).
     */
    synchronized Optional<NewMessage> leaveOutbox(String immutableId, boolean keepCopy) {
        Item item = items.get(immutableId);
        if (item == null || item.folder != WellKnownFolder.OUTBOX) {
            return Optional.empty();
        }
        NewMessage outgoing = new NewMessage(item.content.subject(), item.content.bodyContentType(), item.content.bodyContent(), item.from,
                item.content.toRecipients(), item.content.ccRecipients(), item.content.bccRecipients(), item.content.replyTo(),
                item.internetMessageId, item.content.internetMessageHeaders(), List.copyOf(item.properties), List.copyOf(item.attachments),
                item.sent, null, true, item.content.importance());
        if (keepCopy) {
            move(immutableId, WellKnownFolder.SENT_ITEMS);
        } else {
            purge(immutableId);
        }
        return Optional.of(outgoing);
    }

    private void removeFromFolder(Item item) {
        item.seq = ++changeSeq;
        tombstones.add(new Tombstone(item.folder, item.immutableId, item.restId, item.seq));
        immutableIdByRestId.remove(item.restId);
        listener.accept(new MailboxChange(user.id(), item.folder, ChangeType.DELETED, item.snapshot()));
    }

    private void touch(Item item) {
        item.seq = ++changeSeq;
        item.modified = clock.now();
    }

    private String restId(Item item) {
        return "AAMkA" + ID.encodeToString((item.immutableId + ":" + item.folder.wellKnownName() + ":" + item.moves).getBytes(StandardCharsets.US_ASCII));
    }

    // ---- delta ----

    /** Starts a round of delta for a folder; receivedSince bounds it (Graph's $filter=receivedDateTime ge ...). */
    public synchronized DeltaPage startDelta(WellKnownFolder folder, String select, Instant receivedSince, int pageSize) {
        return page(newRound(folder, 0, select, receivedSince), 0, pageSize);
    }

    /** Continues from a skip token or a delta token; unknown or expired tokens are Graph's 410. */
    public synchronized DeltaOutcome continueDelta(String skipToken, String deltaToken, int pageSize) {
        Instant now = clock.now();
        if (skipToken != null) {
            DeltaCursor cursor = skipTokens.get(skipToken);
            if (cursor == null || expired(cursor.round().issuedAt(), cursor.round().epoch(), now)) {
                return new DeltaOutcome.TokenExpired();
            }
            return new DeltaOutcome.Page(page(cursor.round(), cursor.position(), pageSize));
        }
        DeltaToken token = deltaTokens.get(deltaToken);
        if (token == null || expired(token.issuedAt(), token.epoch(), now)) {
            return new DeltaOutcome.TokenExpired();
        }
        return new DeltaOutcome.Page(page(newRound(token.folder(), token.since(), token.select(), token.receivedSince()), 0, pageSize));
    }

    private boolean expired(Instant issuedAt, long epoch, Instant now) {
        return epoch != deltaEpoch || issuedAt.plus(deltaTokenLifetime).isBefore(now);
    }

    /** Forgets every delta and skip token handed out so far: their next use answers 410. */
    public synchronized void expireDeltaTokens() {
        deltaEpoch++;
        deltaTokens.clear();
        skipTokens.clear();
    }

    private DeltaRound newRound(WellKnownFolder folder, long since, String select, Instant receivedSince) {
        List<DeltaEntry> entries = new ArrayList<>();
        items.values().stream()
                .filter(item -> item.folder == folder && item.seq > since)
                .filter(item -> receivedSince == null || !item.received.isBefore(receivedSince))
                .sorted(Comparator.comparingLong(item -> item.seq))
                .forEach(item -> entries.add(new DeltaEntry(item.immutableId, null)));
        if (since > 0) {
            tombstones.stream().filter(stone -> stone.folder() == folder && stone.seq() > since)
                    .filter(stone -> entries.stream().noneMatch(entry -> entry.immutableId().equals(stone.immutableId())))
                    .forEach(stone -> entries.add(new DeltaEntry(stone.immutableId(), stone.restId())));
        }
        return new DeltaRound(folder, entries, changeSeq, select, receivedSince, clock.now(), deltaEpoch);
    }

    private DeltaPage page(DeltaRound round, int position, int pageSize) {
        int end = Math.min(round.entries().size(), position + Math.max(1, pageSize));
        List<DeltaPage.Item> pageItems = new ArrayList<>();
        for (DeltaEntry entry : round.entries().subList(position, end)) {
            Item item = items.get(entry.immutableId());
            if (entry.removedRestId() == null && item != null && item.folder == round.folder()) {
                pageItems.add(new DeltaPage.Present(item.snapshot()));
            } else {
                pageItems.add(new DeltaPage.Removed(entry.immutableId(), entry.removedRestId() != null ? entry.removedRestId() : entry.immutableId()));
            }
        }
        if (end < round.entries().size()) {
            String skip = randomId();
            skipTokens.put(skip, new DeltaCursor(round, end));
            return new DeltaPage(pageItems, Optional.of(skip), Optional.empty(), round.select());
        }
        String delta = randomId();
        deltaTokens.put(delta, new DeltaToken(round.folder(), round.upto(), round.select(), round.receivedSince(), clock.now(), deltaEpoch));
        return new DeltaPage(pageItems, Optional.empty(), Optional.of(delta), round.select());
    }

    private static String domainOf(String address) {
        return address.substring(address.indexOf('@') + 1);
    }

    private static String randomId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return ID.encodeToString(bytes);
    }
}
