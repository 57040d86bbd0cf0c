package io.mailbridge.devhost;

import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.config.StorageSettings;
import io.mailbridge.devhost.http.AccessKeys;
import io.mailbridge.sandbox.Sandbox;
import io.mailbridge.sandbox.SandboxConfig;
import io.mailbridge.sandbox.SandboxTenant;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmConfig;
import io.mailbridge.sandbox.crm.CrmStandIn;
import io.mailbridge.sandbox.crm.CrmUser;
import io.mailbridge.sandbox.smtp.SmtpRelay;
import io.mailbridge.sandbox.smtp.SmtpRelayConfig;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the app talks to, running on this machine and wired together: the Microsoft 365
 * sandbox (identity platform, Graph, Exchange), the CRM stand-in, the CRM's custom SMTP relay, and the function app on the local
 * host, served over https with a certificate from the sandbox's CA: a US and an EU stamp side by side, each with its own settings
 * and storage account. The README's run command starts one on the standard ports; end-to-end tests start one on free ports. Endpoint settings always point at the parts actually running.
 */
public final class LocalStack implements AutoCloseable {
    /** The CRM role the profile page gives everyone but the one user meant to show the refusal. */
    private static final List<String> WITHOUT_ROLE = List.of("alex.wilber@contoso.example", "lynne.robbins@fabrikam.example");

    /** Where each part listens; 0 picks a free port. */
    public record Ports(int app, int euApp, int sandbox, int crm, int smtp) {
        public static Ports standard() {
            return new Ports(7071, 7072, 8443, 7080, 2525);
        }

        public static Ports free() {
            return new Ports(0, 0, 0, 0, 0);
        }
    }

    /**
     * One region's function app: its host, the settings it runs with (its own storage account among them), and the
     * OpenTelemetry SDK it reports its spans and metrics to.
     */
    public record Stamp(String region, DevHost host, Map<String, String> settings, LocalTelemetry telemetry) {
        public Stamp {
            settings = Map.copyOf(settings);
        }
    }

    /** How often each stamp logs its metrics: often enough to watch a test mail go through. */
    private static final Duration METRIC_LOG_INTERVAL = Duration.ofSeconds(30);

    private final Sandbox sandbox;
    private final CrmStandIn crm;
    private final SmtpRelay smtp;
    private final Stamp us;
    private final Stamp eu;

    private LocalStack(Sandbox sandbox, CrmStandIn crm, SmtpRelay smtp, Stamp us, Stamp eu) {
        this.sandbox = sandbox;
        this.crm = crm;
        this.smtp = smtp;
        this.us = us;
        this.eu = eu;
    }

    /**
     * Starts the US stamp with {@code baseSettings} and the EU stamp with the same settings overlaid by
     * {@code euOverrides}, which must name its region and its own AzureWebJobsStorage; endpoints are overridden.
     *
     * @param baseSettings the app settings to start from (local.settings.json's Values)
     * @param storageConnection AzureWebJobsStorage for the US stamp's app and host (Azurite)
     */
    public static LocalStack start(Map<String, String> baseSettings, String storageConnection, Map<String, String> euOverrides,
            Ports ports, Path trustDirectory, Path hostJson, AccessKeys keys) {
        Map<String, String> usSettings = new LinkedHashMap<>(baseSettings);
        usSettings.put("AzureWebJobsStorage", storageConnection);
        Map<String, String> euSettings = new LinkedHashMap<>(baseSettings);
        euSettings.putAll(euOverrides);
        if (!"EU".equals(euSettings.get("MAILBRIDGE_STAMP_REGION"))) {
            throw new IllegalArgumentException("The EU stamp's settings must set MAILBRIDGE_STAMP_REGION to EU");
        }
        if (!euOverrides.containsKey("AzureWebJobsStorage") || Objects.equals(euOverrides.get("AzureWebJobsStorage"), storageConnection)) {
            throw new IllegalArgumentException("The EU stamp needs its own storage account: set its AzureWebJobsStorage");
        }
        Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withPort(ports.sandbox()).withTrustDirectory(trustDirectory));
        try {
            String crmSecret = baseSettings.get("MAILBRIDGE_CRM_SIGNING_SECRET");
            CrmStandIn crm = sandbox.attach(CrmStandIn.start(CrmConfig.defaults().withPort(ports.crm()).withClock(sandbox.clock())
                    .withSigningSecret(crmSecret)));
            SmtpRelay smtp = sandbox.attach(SmtpRelay.start(SmtpRelayConfig.defaults().withPort(ports.smtp()).withClock(sandbox.clock())
                    .withCredentials(baseSettings.get("MAILBRIDGE_SMTP_USERNAME"), baseSettings.get("MAILBRIDGE_SMTP_PASSWORD")),
                    sandbox.tls()));
            Stamp us = startStamp(sandbox, crm, smtp, usSettings, ports.app(), hostJson, keys);
            Stamp eu = startStamp(sandbox, crm, smtp, euSettings, ports.euApp(), hostJson, keys);
            // The CRM sends each user to the stamp of their account's region, as a CRM does with the stamps' URLs.
            crm.offerConnect(Map.of(us.region(), us.host().baseUri(), eu.region(), eu.host().baseUri()), sandbox.tls().clientContext(),
                    keys.functionKeys().getOrDefault("default", ""), crmUsers(sandbox));
            return new LocalStack(sandbox, crm, smtp, us, eu);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private static Stamp startStamp(Sandbox sandbox, CrmStandIn crm, SmtpRelay smtp, Map<String, String> stampSettings, int port,
            Path hostJson, AccessKeys keys) {
        Map<String, String> settings = new LinkedHashMap<>(stampSettings);
        settings.put("MAILBRIDGE_CRM_ORIGINS", withoutSlash(crm.baseUrl()));
        settings.put("MAILBRIDGE_CRM_EVENTS_URL", crm.eventsUrl().toString());
        settings.put("MAILBRIDGE_ENTRA_AUTHORITY", sandbox.authority("organizations"));
        settings.put("MAILBRIDGE_ENTRA_CLIENT_ID", sandbox.app().clientId());
        settings.put("MAILBRIDGE_ENTRA_CLIENT_SECRET", sandbox.app().clientSecret());
        settings.put("MAILBRIDGE_ENTRA_INSTANCE_DISCOVERY", sandbox.msalInstanceDiscoveryMetadata());
        settings.put("MAILBRIDGE_GRAPH_BASE_URL", sandbox.graphBaseUrl());
        settings.put("MAILBRIDGE_EXTRA_CA_CERTIFICATES", sandbox.trustedCertificateFile().toString());
        settings.put("MAILBRIDGE_SMTP_HOST", smtp.host());
        settings.put("MAILBRIDGE_SMTP_PORT", Integer.toString(smtp.port()));
        settings.put("MAILBRIDGE_SMTP_EXTRA_CA_CERTIFICATES", sandbox.trustedCertificateFile().toString());
        // The app must know its own address (Graph's notification URL, https only) before it starts.
        int appPort = port != 0 ? port : freePort();
        String publicBase = "https://localhost:" + appPort;
        settings.put("MAILBRIDGE_PUBLIC_BASE_URL", publicBase);
        // Entra accepts only registered redirect URIs: register this stamp's, as an operator does.
        sandbox.registerRedirectUris(publicBase + "/api/connect/callback", publicBase + "/api/connect/adminconsent");
        StorageProvisioning.createAll(StorageClients.connect(new StorageSettings.ConnectionString(settings.get("AzureWebJobsStorage"))));
        String region = settings.get("MAILBRIDGE_STAMP_REGION");
        // Attached before the host, so it closes after it: the last invocations' spans still get out.
        LocalTelemetry telemetry = sandbox.attach(new LocalTelemetry("mailbridge-" + region.toLowerCase(Locale.ROOT), METRIC_LOG_INTERVAL));
        App app = new App(Settings.from(settings), sandbox.clock(), telemetry.openTelemetry());
        DevHost host = sandbox.attach(DevHost.builder()
                .functionsBeside(App.class)
                .injector(app)
                .middleware(app.middleware())
                .hostJson(hostJson)
                .settings(settings)
                .keys(keys)
                .port(appPort)
                .https(sandbox.tls().issueServerContext())
                .start());
        return new Stamp(region, host, settings, telemetry);
    }

    /** One CRM account per sandbox tenant, one CRM user per mailbox; two users lack the connect role. */
    static List<CrmUser> crmUsers(Sandbox sandbox) {
        List<CrmUser> users = new ArrayList<>();
        for (SandboxUser user : sandbox.users()) {
            SandboxTenant tenant = sandbox.directory().tenant(user.tenantId()).orElseThrow();
            String account = tenant.displayName().toLowerCase(Locale.ROOT);
            List<String> roles = WITHOUT_ROLE.contains(user.userPrincipalName()) ? List.of("Sales") : List.of("Sales", CrmUser.CONNECT_ROLE);
            String userId = user.userPrincipalName().substring(0, user.userPrincipalName().indexOf('@'));
            users.add(new CrmUser(account, userId, user.displayName(), user.userPrincipalName(), roles, tenant.region()));
        }
        return users;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public CrmStandIn crm() {
        return crm;
    }

    /** The CRM's custom SMTP relay. */
    public SmtpRelay smtp() {
        return smtp;
    }

    /** The US stamp's host. */
    public DevHost host() {
        return us.host();
    }

    /** The settings the US stamp runs with. */
    public Map<String, String> settings() {
        return us.settings();
    }

    public Stamp usStamp() {
        return us;
    }

    public Stamp euStamp() {
        return eu;
    }

    /** Closes the hosts first (finishing invocations), then the CRM stand-in and the sandbox. */
    @Override
    public void close() {
        sandbox.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the app", e);
        }
    }

    private static String withoutSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
