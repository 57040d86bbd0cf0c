package io.mailbridge.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Who exists in the sandbox: tenants, their users, and the app registrations that may sign them in. */
public record SandboxDirectory(List<SandboxTenant> tenants, List<SandboxUser> users, List<AppRegistration> apps) {

    public static final String CONTOSO_TENANT_ID = "4f1c9d2e-8b3a-4c6d-9e7f-1a2b3c4d5e6f";
    public static final String FABRIKAM_TENANT_ID = "7d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
    public static final String NORTHWIND_TENANT_ID = "2c6e8a0b-3d5f-4e7a-9b1c-d2e3f4a5b6c7";
    public static final String SAMPLE_CLIENT_ID = "3f0b5c9e-7d1a-4c2b-8e6f-0a9b8c7d6e5f";
    /** A published test value: the sandbox holds no real secret. */
    public static final String SAMPLE_CLIENT_SECRET = "sandbox-client-secret";

    /** The product's sign-in and admin-consent callbacks on http loopback; other addresses are registered at run time. */
    public static final List<String> LOOPBACK_CALLBACKS = List.of(
            "http://localhost/api/connect/callback", "http://127.0.0.1/api/connect/callback",
            "http://localhost/api/connect/adminconsent", "http://127.0.0.1/api/connect/adminconsent");

    public SandboxDirectory {
        tenants = List.copyOf(tenants);
        users = List.copyOf(users);
        apps = List.copyOf(apps);
    }

    /**
     * Three tenants: Contoso (US) with Adele (primary address plus two aliases), Alex, Nestor, Joni,
     * Megan and Isaiah (mailbox on-premises); Fabrikam (EU) with Diego and Lynne; Northwind (US),
     * where users may not consent to apps, with Pradeep and Patti, its admin. The sample app
     * registers the product's callback paths on http loopback (any port, as Entra ignores it there).
     */
    public static SandboxDirectory sample() {
        return new SandboxDirectory(
                List.of(new SandboxTenant(CONTOSO_TENANT_ID, "Contoso", "contoso.example", "US"),
                        new SandboxTenant(FABRIKAM_TENANT_ID, "Fabrikam", "fabrikam.example", "EU"),
                        new SandboxTenant(NORTHWIND_TENANT_ID, "Northwind", "northwind.example", "US", false)),
                List.of(user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c01", CONTOSO_TENANT_ID, "Adele Vance", "adele.vance@contoso.example",
                                List.of("SMTP:adele.vance@contoso.example", "smtp:adele@contoso.example", "smtp:sales@contoso.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c02", CONTOSO_TENANT_ID, "Alex Wilber", "alex.wilber@contoso.example",
                                List.of("SMTP:alex.wilber@contoso.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c05", CONTOSO_TENANT_ID, "Nestor Wilke", "nestor.wilke@contoso.example",
                                List.of("SMTP:nestor.wilke@contoso.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c06", CONTOSO_TENANT_ID, "Joni Sherman", "joni.sherman@contoso.example",
                                List.of("SMTP:joni.sherman@contoso.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c03", CONTOSO_TENANT_ID, "Megan Bowen", "megan.bowen@contoso.example",
                                List.of("SMTP:megan.bowen@contoso.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c04", CONTOSO_TENANT_ID, "Isaiah Langer", "isaiah.langer@contoso.example",
                                List.of("SMTP:isaiah.langer@contoso.example"), false, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c11", FABRIKAM_TENANT_ID, "Diego Siciliani", "diego.siciliani@fabrikam.example",
                                List.of("SMTP:diego.siciliani@fabrikam.example", "smtp:diego@fabrikam.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c12", FABRIKAM_TENANT_ID, "Lynne Robbins", "lynne.robbins@fabrikam.example",
                                List.of("SMTP:lynne.robbins@fabrikam.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c21", NORTHWIND_TENANT_ID, "Pradeep Gupta", "pradeep.gupta@northwind.example",
                                List.of("SMTP:pradeep.gupta@northwind.example"), true, false),
                        user("0b5e6a3c-1d2f-4a8b-9c7d-1e2f3a4b5c22", NORTHWIND_TENANT_ID, "Patti Fernandez", "patti.fernandez@northwind.example",
                                List.of("SMTP:patti.fernandez@northwind.example"), true, true)),
                List.of(new AppRegistration(SAMPLE_CLIENT_ID, SAMPLE_CLIENT_SECRET, "Mailbridge (sandbox)", LOOPBACK_CALLBACKS,
                        Set.of("Mail.ReadWrite", "Mail.Send", "User.Read.All"))));
    }

    private static SandboxUser user(String id, String tenantId, String name, String upn, List<String> proxies,
                                    boolean mailboxEnabled, boolean admin) {
        return new SandboxUser(id, tenantId, name, upn, upn, proxies, mailboxEnabled, admin);
    }

    public Optional<SandboxTenant> tenant(String id) {
        return tenants.stream().filter(tenant -> tenant.id().equalsIgnoreCase(id) || tenant.domain().equalsIgnoreCase(id)).findFirst();
    }

    /** By object id or user principal name, as Graph's /users/{id | userPrincipalName}. */
    public Optional<SandboxUser> user(String idOrUpn) {
        return users.stream().filter(user -> user.id().equalsIgnoreCase(idOrUpn) || user.userPrincipalName().equalsIgnoreCase(idOrUpn)).findFirst();
    }

    /** The mailbox that receives mail for an address, by any of its proxy addresses. */
    public Optional<SandboxUser> mailboxFor(String address) {
        String wanted = address.trim().toLowerCase(Locale.ROOT);
        return users.stream().filter(user -> user.owns(wanted)).findFirst();
    }

    public List<SandboxUser> usersOf(String tenantId) {
        return users.stream().filter(user -> user.tenantId().equalsIgnoreCase(tenantId)).toList();
    }

    public Optional<AppRegistration> app(String clientId) {
        return apps.stream().filter(app -> app.clientId().equalsIgnoreCase(clientId)).findFirst();
    }
}
