package io.mailbridge.sandbox;

/**
 * A Microsoft Entra tenant of the sandbox; region is the CRM-side label of where its users live.
 * userConsentAllowed is the tenant's "Users can consent to apps" setting: when false, only an
 * administrator can grant an app's permissions, for the whole tenant.
 */
public record SandboxTenant(String id, String displayName, String domain, String region, boolean userConsentAllowed) {

    /** A tenant with Entra's default consent setting: users may consent to apps themselves. */
    public SandboxTenant(String id, String displayName, String domain, String region) {
        this(id, displayName, domain, region, true);
    }
}
