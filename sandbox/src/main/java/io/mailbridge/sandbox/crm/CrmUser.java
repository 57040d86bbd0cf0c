package io.mailbridge.sandbox.crm;

import java.util.List;

/** A user of the pretend CRM, as its profile page offers them: who, in which account and region, with which roles. */
public record CrmUser(String accountId, String userId, String displayName, String email, List<String> roles, String region) {
    public static final String CONNECT_ROLE = "Connect to mailbox";

    public CrmUser {
        roles = List.copyOf(roles);
    }

    public boolean mayConnect() {
        return roles.contains(CONNECT_ROLE);
    }
}
