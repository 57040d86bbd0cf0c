package io.mailbridge.inbound;

import io.mailbridge.Sha256;
import io.mailbridge.crm.CrmEvent;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.crm.EmailAddresses;
import io.mailbridge.crm.Prospects;
import io.mailbridge.mailbox.MailboxConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Hands a mail to the CRM as one of its user's mails, once: only when a prospect of the account
 * takes part, only if the user was not given it before, under an event id that is the same every
 * time for the same mail and user (so the CRM can drop a repeat that slips through a crash).
 */
public final class MailDelivery {
    private static final Logger LOG = Logger.getLogger(MailDelivery.class.getName());

    /** Longer than any publish (one queue put) takes; a claim this old belongs to a worker that died. */
    static final Duration CLAIM_LEASE = Duration.ofSeconds(30);
    /** A racing worker usually confirms within milliseconds; wait up to about three seconds for it. */
    public static final Duration WAIT_FOR_HOLDER = Duration.ofSeconds(3);
    private static final int WAITS_FOR_HOLDER = 30;

    /** What happened to one mail. */
    public enum Outcome { DELIVERED, ALREADY_DELIVERED, NO_PROSPECT }

    private final Prospects prospects;
    private final Deliveries deliveries;
    private final CrmEvents events;
    private final Clock clock;
    private final Duration pauseForHolder;

    public MailDelivery(Prospects prospects, Deliveries deliveries, CrmEvents events, Clock clock) {
        this(prospects, deliveries, events, clock, WAIT_FOR_HOLDER);
    }

    /** {@code waitForHolder}: how long a caller that lost the claim waits for the winner's confirmation before giving up. */
    public MailDelivery(Prospects prospects, Deliveries deliveries, CrmEvents events, Clock clock, Duration waitForHolder) {
        this.prospects = prospects;
        this.deliveries = deliveries;
        this.events = events;
        this.clock = clock;
        this.pauseForHolder = waitForHolder.dividedBy(WAITS_FOR_HOLDER);
    }

    /**
     * The mail's participants (From, To, Cc, and Bcc where known), normalized, without the user's own
     * addresses; a plus-addressed participant also counts as the address without its tag.
     */
    public static Set<String> participantsOf(MailboxConnection connection, MailItem mail) {
        Set<String> participants = new LinkedHashSet<>();
        addresses(mail).forEach(address -> EmailAddresses.normalize(address).ifPresent(normal -> {
            participants.add(normal);
            EmailAddresses.withoutPlusTag(normal).ifPresent(participants::add);
        }));
        participants.removeAll(connection.aliases());
        participants.remove(connection.mailboxAddress());
        return participants;
    }

    /** The prospects of the account among the mail's participants. */
    public Set<String> prospectsIn(MailboxConnection connection, MailItem mail) {
        Set<String> participants = participantsOf(connection, mail);
        return participants.isEmpty() ? Set.of() : prospects.prospectsAmong(connection.accountId(), participants);
    }

    public boolean wasDelivered(MailboxConnection connection, MailItem mail) {
        return deliveries.wasDelivered(connection.accountId(), connection.userId(), mailKey(mail));
    }

    public Outcome deliver(MailboxConnection connection, MailItem mail) {
        return deliver(connection, mail, prospectsIn(connection, mail));
    }

    /**
     * Like {@link #deliver(MailboxConnection, MailItem)}, with the prospects among its participants already known.
     * Claim, publish, confirm: of callers racing with one mail, one delivers and the others wait for its
     * confirmation and answer ALREADY_DELIVERED. A claim still held after the wait (its holder may have
     * died) throws {@link DeliveryInProgressException}: try again once its lease lapses.
     */
    public Outcome deliver(MailboxConnection connection, MailItem mail, Set<String> matched) {
        if (matched.isEmpty()) {
            return Outcome.NO_PROSPECT;
        }
        String mailKey = mailKey(mail);
        String eventId = "email:" + connection.accountId() + ":" + connection.userId() + ":" + mailKey;
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Instant until;
            switch (deliveries.claim(connection.accountId(), connection.userId(), mailKey, eventId, now, CLAIM_LEASE)) {
                case Deliveries.Claim.Won won -> {
                    publish(connection, mail, matched, mailKey, eventId);
                    return Outcome.DELIVERED;
                }
                case Deliveries.Claim.AlreadyDelivered delivered -> {
                    return Outcome.ALREADY_DELIVERED;
                }
                case Deliveries.Claim.HeldUntil(Instant heldUntil) -> until = heldUntil;
            }
            if (attempt == WAITS_FOR_HOLDER) {
                throw new DeliveryInProgressException(Duration.between(now, until));
            }
            pause();
        }
    }

    /** A crash after the publish and before the confirm repeats the event under the same id, never loses it. */
    private void publish(MailboxConnection connection, MailItem mail, Set<String> matched, String mailKey, String eventId) {
        String type = eventType(connection, mail);
        try {
            events.publish(new CrmEvent(eventId, type, connection.accountId(), connection.userId(), clock.instant(),
                    payload(connection, mail, matched)));
        } catch (RuntimeException e) {
            deliveries.release(connection.accountId(), connection.userId(), mailKey);
            throw e;
        }
        deliveries.confirm(connection.accountId(), connection.userId(), mailKey, eventId, clock.instant());
        LOG.fine(() -> "Delivered " + type + " " + mailKey + " to " + connection.accountId() + "/" + connection.userId());
    }

    private void pause() {
        try {
            Thread.sleep(pauseForHolder.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while another worker delivered the same mail", e);
        }
    }

    /**
     * {@code email.received} for mail to the user; {@code email.sent} for mail the user sent (from Outlook or another
     * client, or BCC'd); {@code email.sent_by_crm} for the CRM's own mail found in Sent Items, whose {@code crmSendId}
     * names the CRM's send, so that the CRM files the mailbox's copy under the message it has instead of as a new one.
     */
    private static String eventType(MailboxConnection connection, MailItem mail) {
        if (mail.crmSendId() != null) {
            return "email.sent_by_crm";
        }
        return isFromTheUser(connection, mail) ? "email.sent" : "email.received";
    }

    private static boolean isFromTheUser(MailboxConnection connection, MailItem mail) {
        if (mail.source() == MailItem.Source.SENT_ITEMS) {
            return true;
        }
        if (mail.source() == MailItem.Source.INBOX || mail.from() == null) {
            return false;
        }
        String from = mail.from().address() == null ? "" : mail.from().address().toLowerCase(Locale.ROOT);
        return from.equals(connection.mailboxAddress()) || connection.aliases().contains(from);
    }

    /** The mail's identity: its Message-ID, which every copy (inbox, Sent Items, BCC) shares. */
    public static String mailKey(MailItem mail) {
        String identity = mail.internetMessageId() != null && !mail.internetMessageId().isBlank()
                ? mail.internetMessageId().trim()
                : "graph:" + mail.graphMessageId();
        return Sha256.hex(identity);
    }

    private static List<String> addresses(MailItem mail) {
        List<String> all = new ArrayList<>();
        if (mail.from() != null) {
            all.add(mail.from().address());
        }
        mail.to().forEach(a -> all.add(a.address()));
        mail.cc().forEach(a -> all.add(a.address()));
        mail.bcc().forEach(a -> all.add(a.address()));
        return all;
    }

    private static Map<String, Object> payload(MailboxConnection connection, MailItem mail, Set<String> matched) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", mail.source().name());
        data.put("mailbox", connection.mailboxAddress());
        data.put("graphMessageId", mail.graphMessageId());
        data.put("internetMessageId", mail.internetMessageId());
        data.put("conversationId", mail.conversationId());
        data.put("subject", mail.subject());
        data.put("from", mail.from());
        data.put("to", mail.to());
        data.put("cc", mail.cc());
        data.put("bcc", mail.bcc());
        data.put("prospects", List.copyOf(matched));
        data.put("sentAt", mail.sentAt());
        data.put("receivedAt", mail.receivedAt());
        data.put("textBody", mail.textBody());
        data.put("htmlBody", mail.htmlBody());
        data.put("attachments", mail.attachments());
        data.put("crmSendId", mail.crmSendId());
        // Map.copyOf in CrmEvent refuses nulls: leave absent fields out rather than sending them as null.
        data.values().removeIf(java.util.Objects::isNull);
        return data;
    }
}
