package io.mailbridge.mailbox;

import java.util.Set;

/** How much of the mailbox the product may use; chosen per CRM account by support. */
public enum Profile {
    /** Sends through the mailbox until its daily quota is spent, syncs Sent Items both ways, fetches aliases. */
    FULL(Set.of("User.Read", "Mail.ReadWrite", "Mail.Send")),
    /** Read-only mailbox access: sends by custom SMTP, Sent Items sync mailbox to CRM only; US stamp only. */
    RESTRICTED(Set.of("User.Read", "Mail.Read"));

    private final Set<String> graphScopes;

    Profile(Set<String> graphScopes) {
        this.graphScopes = graphScopes;
    }

    /** The delegated Graph permissions the profile asks for; offline_access is always added by MSAL. */
    public Set<String> graphScopes() {
        return graphScopes;
    }
}
