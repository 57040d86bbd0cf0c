package io.mailbridge.sandbox.exchange;

import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Exchange Online for the sandbox's users: their mailboxes, mail delivery between them and from
 * outside, sending with Exchange's limits, and the subscriptions that hear about every change.
 */
public final class Exchange implements AutoCloseable {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SandboxDirectory directory;
    private final SandboxClock clock;
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final SendingQuota quota;
    private final NotificationDispatcher notifications;
    private final Subscriptions subscriptions;
    private final List<OutboundMail> transportLog = new CopyOnWriteArrayList<>();
    private volatile ExchangeSettings settings;

    /** @param webhookTrust what Graph's delivery side trusts when it calls apps' https endpoints */
    public Exchange(SandboxDirectory directory, SandboxClock clock, ExchangeSettings settings, SSLContext webhookTrust) {
        this.directory = directory;
        this.clock = clock;
        this.settings = settings;
        this.quota = new SendingQuota(clock, settings.sendingLimits());
        this.notifications = new NotificationDispatcher(clock, settings.validationTimeout(), settings.notificationRetryDelays(), settings.faultSeed(),
                webhookTrust);
        this.subscriptions = new Subscriptions(clock, notifications);
    }

    /** The mailbox of a user, by object id, user principal name or any of their addresses. */
    public Mailbox mailbox(String user) {
        SandboxUser owner = directory.user(user).or(() -> directory.mailboxFor(user))
                .orElseThrow(() -> new NoSuchElementException("No sandbox user " + user));
        return mailboxes.computeIfAbsent(owner.id(), id -> new Mailbox(owner, clock, settings.deltaTokenLifetime(), subscriptions::publish));
    }

    public SendingQuota quota() {
        return quota;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public NotificationDispatcher notifications() {
        return notifications;
    }

    public List<OutboundMail> transportLog() {
        return List.copyOf(transportLog);
    }

    public void deltaTokenLifetime(java.time.Duration lifetime) {
        settings = new ExchangeSettings(settings.sendingLimits(), lifetime, settings.validationTimeout(), settings.notificationRetryDelays(), settings.faultSeed());
        mailboxes.values().forEach(mailbox -> mailbox.deltaTokenLifetime(lifetime));
    }

    /**
     * Delivers mail from outside into every sandbox mailbox among its recipients (To, Cc and Bcc),
     * as the transport does: each copy unread in the Inbox, with the message's headers.
     */
    public List<MailMessage> deliver(NewMessage mail) {
        String internetMessageId = mail.internetMessageId() != null ? mail.internetMessageId()
                : "<" + UUID.randomUUID() + "@" + domainOf(mail.from().address()) + ">";
        NewMessage stamped = received(mail, internetMessageId, clock.now());
        List<MailMessage> stored = new ArrayList<>();
        for (SandboxUser recipient : sandboxRecipients(mail)) {
            stored.add(mailbox(recipient.id()).receive(stamped));
        }
        return stored;
    }

    /** sendMail: checks the sender's limits and address, keeps the Sent Items copy, routes the mail. */
    public SendOutcome send(String userId, NewMessage message, boolean saveToSentItems) {
        Mailbox mailbox = mailbox(userId);
        SandboxUser sender = mailbox.user();
        Recipient from = message.from() != null ? message.from() : new Recipient(sender.displayName(), sender.mail());
        if (!sender.owns(from.address())) {
            return new SendOutcome.SendAsDenied(from.address());
        }
        QuotaDecision decision = quota.tryConsume(sender.id(), message.recipientCount());
        if (!(decision instanceof QuotaDecision.Accepted)) {
            return new SendOutcome.Refused(decision);
        }
        Instant now = clock.now();
        String internetMessageId = message.internetMessageId() != null ? message.internetMessageId()
                : "<" + UUID.randomUUID() + "@" + domainOf(sender.mail()) + ">";
        NewMessage outgoing = new NewMessage(message.subject(), message.bodyContentType(), message.bodyContent(), from, message.toRecipients(),
                message.ccRecipients(), message.bccRecipients(), message.replyTo(), internetMessageId, message.internetMessageHeaders(),
                message.extendedProperties(), message.attachments(), now, null, true, message.importance());
        MailMessage sentCopy = saveToSentItems ? mailbox.saveSentCopy(outgoing) : null;
        deliver(outgoing);
        List<String> external = outgoing.toRecipients().stream().map(Recipient::address)
                .filter(address -> directory.mailboxFor(address).isEmpty()).collect(Collectors.toList());
        outgoing.ccRecipients().stream().map(Recipient::address).filter(address -> directory.mailboxFor(address).isEmpty()).forEach(external::add);
        outgoing.bccRecipients().stream().map(Recipient::address).filter(address -> directory.mailboxFor(address).isEmpty()).forEach(external::add);
        if (!external.isEmpty()) {
            transportLog.add(new OutboundMail(sender.id(), internetMessageId, external, outgoing, now));
        }
        return new SendOutcome.Sent(internetMessageId, sentCopy);
    }

    /** Sends a draft (Graph POST /messages/{id}/send): it leaves Drafts and its copy goes to Sent Items. */
    public SendOutcome sendDraft(String userId, String draftId) {
        Mailbox mailbox = mailbox(userId);
        Optional<MailMessage> draft = mailbox.get(draftId).filter(MailMessage::isDraft);
        if (draft.isEmpty()) {
            return new SendOutcome.DraftNotFound();
        }
        QuotaDecision decision = quota.tryConsume(mailbox.user().id(), draft.get().allRecipients().size());
        if (!(decision instanceof QuotaDecision.Accepted)) {
            return new SendOutcome.Refused(decision);
        }
        Optional<NewMessage> content = mailbox.takeDraft(draftId);
        if (content.isEmpty()) {
            return new SendOutcome.DraftNotFound();
        }
        NewMessage outgoing = content.get();
        NewMessage sent = new NewMessage(outgoing.subject(), outgoing.bodyContentType(), outgoing.bodyContent(), outgoing.from(),
                outgoing.toRecipients(), outgoing.ccRecipients(), outgoing.bccRecipients(), outgoing.replyTo(), outgoing.internetMessageId(),
                outgoing.internetMessageHeaders(), outgoing.extendedProperties(), outgoing.attachments(), clock.now(), null, true, outgoing.importance());
        MailMessage copy = mailbox.saveSentCopy(sent);
        deliver(sent);
        List<String> external = sent.toRecipients().stream().map(Recipient::address).filter(address -> directory.mailboxFor(address).isEmpty()).toList();
        if (!external.isEmpty()) {
            transportLog.add(new OutboundMail(mailbox.user().id(), sent.internetMessageId(), external, sent, clock.now()));
        }
        return new SendOutcome.Sent(sent.internetMessageId(), copy);
    }

    private Set<SandboxUser> sandboxRecipients(NewMessage mail) {
        Set<SandboxUser> recipients = new LinkedHashSet<>();
        for (Recipient recipient : mail.toRecipients()) {
            directory.mailboxFor(recipient.address()).ifPresent(recipients::add);
        }
        for (Recipient recipient : mail.ccRecipients()) {
            directory.mailboxFor(recipient.address()).ifPresent(recipients::add);
        }
        for (Recipient recipient : mail.bccRecipients()) {
            directory.mailboxFor(recipient.address()).ifPresent(recipients::add);
        }
        return recipients;
    }

    /** The received copy: the transport's headers first, then the sender's own (x-) headers; Bcc is not shown. */
    private static NewMessage received(NewMessage mail, String internetMessageId, Instant now) {
        List<MessageHeader> headers = new ArrayList<>();
        headers.add(new MessageHeader("Received", "from sandbox.transport by sandbox.mailbox; " + RFC_5322.format(now)));
        headers.add(new MessageHeader("From", format(mail.from())));
        if (!mail.toRecipients().isEmpty()) {
            headers.add(new MessageHeader("To", mail.toRecipients().stream().map(Exchange::format).collect(Collectors.joining(", "))));
        }
        if (!mail.ccRecipients().isEmpty()) {
            headers.add(new MessageHeader("Cc", mail.ccRecipients().stream().map(Exchange::format).collect(Collectors.joining(", "))));
        }
        headers.add(new MessageHeader("Subject", mail.subject() == null ? "" : mail.subject()));
        headers.add(new MessageHeader("Date", RFC_5322.format(mail.sentDateTime() != null ? mail.sentDateTime() : now)));
        headers.add(new MessageHeader("Message-ID", internetMessageId));
        headers.add(new MessageHeader("MIME-Version", "1.0"));
        for (MessageHeader header : mail.internetMessageHeaders()) {
            if (headers.stream().noneMatch(known -> known.name().equalsIgnoreCase(header.name()))) {
                headers.add(header);
            }
        }
        return new NewMessage(mail.subject(), mail.bodyContentType(), mail.bodyContent(), mail.from(), mail.toRecipients(), mail.ccRecipients(),
                List.of(), mail.replyTo(), internetMessageId, headers, List.of(), mail.attachments(),
                mail.sentDateTime() != null ? mail.sentDateTime() : now, now, false, mail.importance());
    }

    private static String format(Recipient recipient) {
        return recipient.name() == null || recipient.name().equals(recipient.address())
                ? recipient.address() : "\"" + recipient.name().replace("\"", "'") + "\" <" + recipient.address() + ">";
    }

    private static String domainOf(String address) {
        return address.substring(address.indexOf('@') + 1);
    }

    @Override
    public void close() {
        notifications.close();
    }
}
