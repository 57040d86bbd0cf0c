package io.mailbridge.connect;

import io.mailbridge.config.Region;
import java.net.URI;
import java.time.Instant;
import java.util.Set;

/** Who the CRM sent to the connect page, as its signed link states it. */
public record ConnectRequest(
        String linkId,
        String accountId,
        String userId,
        String userEmail,
        Set<String> roles,
        URI returnUrl,
        Region homeRegion,
        Instant expiresAt) {

    /** The CRM role without which a user may not connect a mailbox. */
    public static final String CONNECT_ROLE = "Connect to mailbox";

    public ConnectRequest {
        roles = Set.copyOf(roles);
    }

    public boolean mayConnect() {
        return roles.contains(CONNECT_ROLE);
    }
}
