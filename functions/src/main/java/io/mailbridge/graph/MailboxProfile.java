package io.mailbridge.graph;

import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.crm.EmailAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The signed-in user's mailbox: its primary address, every SMTP address it owns (to check that it is
 * the CRM user's own mailbox), and the aliases the product may send from (only where the profile allows).
 */
public record MailboxProfile(String address, List<String> aliases, List<String> addresses) {

    /** Whether {@code email} is one of the mailbox's own addresses, ignoring case. */
    public boolean owns(String email) {
        return EmailAddresses.normalize(email).map(addresses::contains).orElse(false);
    }

    /**
     * Reads /me, and looks at the Inbox so that a mailbox Graph cannot serve (unlicensed or on-premises:
     * MailboxNotEnabledForRESTAPI) is refused at connect time rather than failing later. Aliases come
     * from proxyAddresses ("SMTP:" marks the primary, "smtp:" the others), which Graph returns only when selected.
     */
    public static MailboxProfile read(GraphServiceClient graph, boolean withAliases) {
        User me = MicrosoftException.calling(() -> graph.me().get(
                request -> request.queryParameters.select = new String[] {"mail", "userPrincipalName", "proxyAddresses"}));
        MicrosoftException.calling(() -> graph.me().mailFolders().byMailFolderId("inbox").get(
                request -> request.queryParameters.select = new String[] {"id"}));
        String address = EmailAddresses.normalize(me.getMail())
                .or(() -> EmailAddresses.normalize(me.getUserPrincipalName()))
                .orElseThrow(() -> new MicrosoftException(new MicrosoftFailure.MailboxUnusable(
                        MicrosoftFailure.Details.local("no_mailbox", "The account has no mail address"))));
        List<String> addresses = new ArrayList<>();
        addresses.add(address);
        if (me.getProxyAddresses() != null) {
            for (String proxy : me.getProxyAddresses()) {
                if (proxy.toLowerCase(Locale.ROOT).startsWith("smtp:")) {
                    Optional<String> alias = EmailAddresses.normalize(proxy.substring(5));
                    alias.filter(a -> !addresses.contains(a)).ifPresent(addresses::add);
                }
            }
        }
        return new MailboxProfile(address, withAliases ? List.copyOf(addresses) : List.of(address), List.copyOf(addresses));
    }
}
