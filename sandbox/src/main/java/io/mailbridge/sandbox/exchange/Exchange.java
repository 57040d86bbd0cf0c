package io.mailbridge.sandbox.exchange;

import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import java.time.Duration;
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
    private final Map<String, SendDelay> sendDelays = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<SendFault>> sendFaults = new ConcurrentHashMap<>();
    private final List<Submission> submissions = new ArrayList<>();
    private final java.util.Random delays;
    private final java.util.concurrent.ScheduledExecutorService transport = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "sandbox-exchange-transport");
        thread.setDaemon(true);
        return thread;
    });

    /** A message accepted for sending, in Outbox until {@code due}; {@code stuck}: it never leaves (the never-sent fault). */
    private record Submission(String userId, String immutableId, Instant due, boolean keepCopy, boolean stuck) {
    }

    /** @param webhookTrust what Graph's delivery side trusts when it calls apps' https endpoints */
    public Exchange(SandboxDirectory directory, SandboxClock clock, ExchangeSettings settings, SSLContext webhookTrust) {
        this.directory = directory;
        this.clock = clock;
        this.settings = settings;
        this.quota = new SendingQuota(clock, settings.sendingLimits());
        this.notifications = new NotificationDispatcher(clock, settings.validationTimeout(), settings.notificationRetryDelays(), settings.faultSeed(),
                webhookTrust);
        this.subscriptions = new Subscriptions(clock, notifications);
        this.delays = new java.util.Random(settings.faultSeed());
        // The transport works on its own, as Exchange's does; reading a mailbox never waits for it.
        transport.scheduleWithFixedDelay(this::releaseDueSends, 100, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
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
        releaseDueSends();
        return List.copyOf(transportLog);
    }

    public void deltaTokenLifetime(java.time.Duration lifetime) {
        settings = new ExchangeSettings(settings.sendingLimits(), lifetime, settings.validationTimeout(), settings.notificationRetryDelays(), settings.faultSeed(), settings.sendDelay());
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

    /**
     * sendMail: checks the sender's limits and address and accepts the mail into Outbox. It leaves (delivered, its copy
     * in Sent Items when asked) after the mailbox's send delay, as Exchange Online's 202 promises no more than acceptance.
     */
    public SendOutcome send(String userId, NewMessage message, boolean saveToSentItems) {
        Mailbox mailbox = mailbox(userId);
        SandboxUser sender = mailbox.user();
        Recipient from = message.from() != null ? message.from() : new Recipient(sender.displayName(), sender.mail());
        if (!sender.owns(from.address())) {
            return new SendOutcome.SendAsDenied(from.address());
        }
        Optional<SendOutcome> refused = refusal(quota.tryConsume(sender.id(), message.recipientCount()));
        if (refused.isPresent()) {
            return refused.get();
        }
        String internetMessageId = message.internetMessageId() != null ? message.internetMessageId()
                : "<" + UUID.randomUUID() + "@" + domainOf(sender.mail()) + ">";
        NewMessage outgoing = new NewMessage(message.subject(), message.bodyContentType(), message.bodyContent(), from, message.toRecipients(),
                message.ccRecipients(), message.bccRecipients(), message.replyTo(), internetMessageId, message.internetMessageHeaders(),
                message.extendedProperties(), message.attachments(), clock.now(), null, true, message.importance());
        MailMessage submitted = mailbox.submitNew(outgoing);
        schedule(sender.id(), submitted, saveToSentItems);
        return new SendOutcome.Sent(internetMessageId, submitted);
    }

    /** Exchange's refusal of a send its sending quota did not take; empty when it took it. */
    private static Optional<SendOutcome> refusal(QuotaDecision decision) {
        return switch (decision) {
            case QuotaDecision.Accepted accepted -> Optional.empty();
            case QuotaDecision.RecipientQuotaExceeded exceeded -> Optional.of(new SendOutcome.Refused(decision));
            case QuotaDecision.MessageRateExceeded exceeded -> Optional.of(new SendOutcome.Refused(decision));
            case QuotaDecision.TooManyRecipients tooMany -> Optional.of(new SendOutcome.Refused(decision));
        };
    }

    /** Sends a draft (Graph POST /messages/{id}/send): it moves to Outbox, keeping its immutable id, and leaves after the send delay. */
    public SendOutcome sendDraft(String userId, String draftId) {
        Mailbox mailbox = mailbox(userId);
        Optional<MailMessage> draft = mailbox.get(draftId).filter(MailMessage::isDraft);
        if (draft.isEmpty()) {
            return new SendOutcome.DraftNotFound();
        }
        if (draft.get().allRecipients().isEmpty()) {
            return new SendOutcome.NoRecipients();
        }
        Optional<SendOutcome> refused = refusal(quota.tryConsume(mailbox.user().id(), draft.get().allRecipients().size()));
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<MailMessage> submitted = mailbox.submit(draftId);
        if (submitted.isEmpty()) {
            return new SendOutcome.DraftNotFound();
        }
        schedule(mailbox.user().id(), submitted.get(), true);
        return new SendOutcome.Sent(submitted.get().internetMessageId(), submitted.get());
    }

    /** How long the user's accepted sends wait in Outbox from now on. */
    public void sendDelay(String user, SendDelay delay) {
        sendDelays.put(mailbox(user).user().id(), delay);
    }

    /** The user's next accepted send meets {@code fault}. */
    public void sendFault(String user, SendFault fault) {
        sendFaults.computeIfAbsent(mailbox(user).user().id(), id -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(fault);
    }

    private void schedule(String userId, MailMessage submitted, boolean keepCopy) {
        java.util.Queue<SendFault> faults = sendFaults.get(userId);
        boolean stuck = faults != null && faults.poll() == SendFault.NEVER_SENT;
        synchronized (submissions) {
            Duration delay = sendDelays.getOrDefault(userId, SendDelay.of(settings.sendDelay())).draw(delays);
            submissions.add(new Submission(userId, submitted.immutableId(), clock.now().plus(delay), keepCopy, stuck));
        }
    }

    /** When the next accepted send leaves (sends stuck by a fault never do); empty when none waits. */
    public Optional<Instant> nextSendDue() {
        synchronized (submissions) {
            return submissions.stream().filter(s -> !s.stuck()).map(Submission::due).min(Instant::compareTo);
        }
    }

    /**
     * The transport's work: every send whose delay has passed on the sandbox clock leaves Outbox, is delivered, and
     * leaves its copy in Sent Items. Runs by itself every 100 ms; tests that move the clock may call it to not wait.
     */
    public void releaseDueSends() {
        List<Submission> due = new ArrayList<>();
        Instant now = clock.now();
        synchronized (submissions) {
            submissions.removeIf(s -> !s.stuck() && !s.due().isAfter(now) && due.add(s));
        }
        due.sort(java.util.Comparator.comparing(Submission::due));
        for (Submission submission : due) {
            mailbox(submission.userId()).leaveOutbox(submission.immutableId(), submission.keepCopy())
                    .ifPresent(outgoing -> transmit(submission.userId(), outgoing));
        }
    }

    private void transmit(String userId, NewMessage sent) {
        deliver(sent);
        List<String> external = sent.allRecipientAddresses().stream().filter(address -> directory.mailboxFor(address).isEmpty()).toList();
        if (!external.isEmpty()) {
            transportLog.add(new OutboundMail(userId, sent.internetMessageId(), external, sent, clock.now()));
        }
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
        transport.shutdownNow();
        notifications.close();
    }
}
