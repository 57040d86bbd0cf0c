package io.mailbridge.sandbox;

import java.util.List;
import java.util.Locale;

/**
 * A person in a sandbox tenant with a mailbox. proxyAddresses follow Exchange: "SMTP:" marks the
 * primary address, "smtp:" the aliases. A user whose mailbox is not enabled for REST (unlicensed or
 * on-premises) signs in but every mail call answers MailboxNotEnabledForRESTAPI; an admin (a role
 * that may grant tenant-wide consent, such as Cloud Application Administrator) can approve apps for everyone.
 */
public record SandboxUser(String id, String tenantId, String displayName, String userPrincipalName, String mail,
                          List<String> proxyAddresses, boolean mailboxEnabled, boolean admin) {

    public SandboxUser {
        proxyAddresses = List.copyOf(proxyAddresses);
    }

    /** Every SMTP address of the mailbox, the primary first. */
    public List<String> addresses() {
        return proxyAddresses.stream()
                .filter(proxy -> proxy.regionMatches(true, 0, "smtp:", 0, 5))
                .sorted((a, b) -> Boolean.compare(!a.startsWith("SMTP:"), !b.startsWith("SMTP:")))
                .map(proxy -> proxy.substring(5))
                .toList();
    }

    public boolean owns(String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        return addresses().stream().anyMatch(own -> own.toLowerCase(Locale.ROOT).equals(wanted))
                || userPrincipalName.equalsIgnoreCase(address);
    }
}
