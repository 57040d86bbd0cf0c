package io.mailbridge.graph;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.mailbox.MailboxConnection;

/**
 * Graph clients for a connected mailbox: authenticated with the connection's token, and, when Graph
 * refuses a token MSAL still considered valid, retried once with a freshly refreshed one (which
 * marks the connection NEEDS_REAUTH if Microsoft refuses that too).
 */
public final class MailboxGraph {
    private final MailboxTokens tokens;
    private final GraphClients clients;

    public MailboxGraph(MailboxTokens tokens, GraphClients clients) {
        this.tokens = tokens;
        this.clients = clients;
    }

    /**
     * A client for one piece of work on the mailbox, the user's object id (for batch steps) and the mailbox's
     * immutable id, its MSAL home account id (see {@link MailboxTokens.GraphAccess}).
     */
    public record Session(GraphServiceClient client, String userObjectId, String mailboxId) {}

    /** @throws MicrosoftException when no token can be had (the connection is marked when it needs the user) */
    public Session open(MailboxConnection connection) {
        MailboxTokens.GraphAccess access = tokens.access(connection);
        GraphServiceClient client = clients.withRefreshableToken(access::accessToken,
                () -> tokens.access(connection, true).accessToken());
        return new Session(client, access.userObjectId(), access.homeAccountId());
    }
}
