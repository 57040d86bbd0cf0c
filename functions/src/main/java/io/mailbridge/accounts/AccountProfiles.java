package io.mailbridge.accounts;

import io.mailbridge.mailbox.AuditLog;
import io.mailbridge.mailbox.Profile;
import java.time.Clock;
import java.time.Instant;

/**
 * Support's switches of an account's settings, each audited: its profile (refused where the stamp
 * does not offer RESTRICTED), and whether its users may connect mailboxes other than their own.
 */
public final class AccountProfiles {
    private final CrmAccounts accounts;
    private final AuditLog audit;
    private final boolean restrictedAllowed;
    private final Clock clock;

    public AccountProfiles(CrmAccounts accounts, AuditLog audit, boolean restrictedAllowed, Clock clock) {
        this.accounts = accounts;
        this.audit = audit;
        this.restrictedAllowed = restrictedAllowed;
        this.clock = clock;
    }

    /** False, and nothing changed, when the profile is not offered in this stamp. */
    public boolean set(String accountId, Profile profile) {
        if (profile == Profile.RESTRICTED && !restrictedAllowed) {
            return false;
        }
        Instant now = clock.instant();
        accounts.setProfile(accountId, profile, now);
        audit.record(new AuditLog.Entry(accountId, null, "profile_set", profile.name(), now));
        return true;
    }

    /** For accounts whose users' CRM emails really differ from their mailboxes; off by default. */
    public void allowOtherMailboxes(String accountId, boolean allowed) {
        Instant now = clock.instant();
        accounts.setOtherMailboxesAllowed(accountId, allowed, now);
        audit.record(new AuditLog.Entry(accountId, null, "other_mailboxes_allowed", Boolean.toString(allowed), now));
    }
}
