package io.mailbridge.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.connect.SignInState;
import io.mailbridge.connect.SignInStates;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.outbound.Outbox;
import io.mailbridge.outbound.OutboxRecord;
import io.mailbridge.outbound.SendingStack;
import io.mailbridge.outbound.SendingWorld;
import io.mailbridge.outbound.Transport;
import io.mailbridge.outbound.WriteBack;
import io.mailbridge.storage.FirstUses;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The housekeeping timer as the host runs it, on the app's own tables and blobs (Azurite) with mail
 * sent through the Microsoft 365 sandbox and the SMTP relay: what expired or can never be used again
 * is deleted, and nothing that is still of use.
 */
@ExtendWith({AzuriteExtension.class, SendingStack.Extension.class})
class HousekeepingIT {
    private final SendingStack stack;
    private final SendingWorld world;
    private final MailboxConnections connections;
    private final Payloads payloads;
    private final String run = UniqueNames.next("house");

    HousekeepingIT(SendingStack stack) {
        this.stack = stack;
        // A fresh 24-hour sending window for every sandbox mailbox: the clock only moves forward, and all tests share it.
        stack.sandbox.clock().advance(Duration.ofHours(25));
        this.world = new SendingWorld(stack);
        this.connections = new MailboxConnections(stack.storage);
        this.payloads = new Payloads(stack.storage);
    }

    /** The quotas this test spent must not make later tests' mail leave by the relay: their window passes. */
    @AfterEach
    void letTheSpentQuotasPass() {
        stack.sandbox.clock().advance(Duration.ofHours(25));
    }

    private void sweep() {
        world.app.getInstance(HousekeepingFunction.class).run("timer");
    }

    @Test
    void expiredSignInsUsedLinksAndSignaturesGoAndLiveOnesStay() {
        Instant now = world.clock.instant();
        SignInStates signIns = new SignInStates(stack.storage);
        signIns.save(signIn(run + "-abandoned", now.minusSeconds(1)));
        signIns.save(signIn(run + "-under-way", now.plus(Duration.ofMinutes(5))));
        FirstUses links = new FirstUses(stack.storage, StorageNames.USED_LINKS_TABLE);
        FirstUses signatures = new FirstUses(stack.storage, StorageNames.USED_SIGNATURES_TABLE);
        links.claim(run + "-old-link", now.minusSeconds(1));
        links.claim(run + "-live-link", now.plusSeconds(300));
        signatures.claim(run + "-old-signature", now.minusSeconds(1));
        signatures.claim(run + "-live-signature", now.plusSeconds(300));

        sweep();

        assertEquals(0, signIns.sweepExpired(now), "the timer deleted every expired sign-in");
        assertTrue(signIns.consume(run + "-under-way", now).isPresent(), "a sign-in under way stays");
        assertTrue(links.claim(run + "-old-link", now.plusSeconds(300)), "an expired link's use is forgotten");
        assertFalse(links.claim(run + "-live-link", now.plusSeconds(300)), "a live link stays used");
        assertTrue(signatures.claim(run + "-old-signature", now.plusSeconds(300)));
        assertFalse(signatures.claim(run + "-live-signature", now.plusSeconds(300)));
    }

    @Test
    void writeBacksOfDisconnectedAndRestrictedMailboxesAreAbandonedWithTheirContent() {
        SendingWorld.Mailbox kept = world.connect("adele.vance@contoso.example", Profile.FULL);
        SendingWorld.Mailbox disconnected = world.connect("nestor.wilke@contoso.example", Profile.FULL);
        SendingWorld.Mailbox restricted = world.connect("joni.sherman@contoso.example", Profile.FULL);
        OutboxRecord keptMail = sendByTheRelay(kept, "kept");
        OutboxRecord disconnectedMail = sendByTheRelay(disconnected, "disconnected");
        OutboxRecord restrictedMail = sendByTheRelay(restricted, "restricted");
        connections.update(disconnected.accountId(), disconnected.userId(),
                c -> c.withState(ConnectionState.DISCONNECTED, null, world.clock.instant()));
        connections.update(restricted.accountId(), restricted.userId(), HousekeepingIT::reconnectedRestricted);

        sweep();

        assertEquals(WriteBack.ABANDONED, now(disconnectedMail).reporting().writeBack());
        assertEquals(WriteBack.ABANDONED, now(restrictedMail).reporting().writeBack());
        assertTrue(payloads.get(disconnectedMail.message().payload()).isEmpty(), "the mail's content is deleted");
        assertTrue(payloads.get(restrictedMail.message().payload()).isEmpty());
        assertEquals(WriteBack.PENDING, now(keptMail).reporting().writeBack(), "an active FULL mailbox's write-back still happens");
        assertTrue(payloads.get(keptMail.message().payload()).isPresent());
    }

    /** Exchange reports the mailbox's quota spent, so the mail leaves by the relay and waits to be written into Sent Items. */
    private OutboxRecord sendByTheRelay(SendingWorld.Mailbox mailbox, String subject) {
        stack.sandbox.exchange().quota().exhaust(mailbox.user().id());
        String key = run + "-" + subject;
        assertEquals(202, world.requestSend(mailbox, SendingWorld.mail(key, "buyer@prospects.example", subject)).getStatusCode());
        world.settle();
        OutboxRecord sent = world.records().stream().filter(r -> r.message().idempotencyKey().equals(key)).findFirst().orElseThrow();
        assertEquals(Transport.SMTP, sent.attempt().transport());
        assertEquals(WriteBack.PENDING, sent.reporting().writeBack());
        assertTrue(payloads.get(sent.message().payload()).isPresent());
        return sent;
    }

    private OutboxRecord now(OutboxRecord record) {
        return new Outbox(stack.storage).find(record.accountId(), record.sendId()).orElseThrow().value();
    }

    /** The account was switched to RESTRICTED and the user connected again. */
    private static MailboxConnection reconnectedRestricted(MailboxConnection c) {
        return new MailboxConnection(c.accountId(), c.userId(), c.mailboxAddress(), c.state(), c.mode(), Profile.RESTRICTED, c.region(),
                List.of(), c.bccAddress(), null, c.createdAt(), c.updatedAt());
    }

    private SignInState signIn(String state, Instant expiresAt) {
        return new SignInState(state, run, "u1", null, SyncMode.TWO_WAY, Profile.FULL, "http://localhost:7080/profile", "verifier-" + state,
                "browser-hash", expiresAt);
    }
}
