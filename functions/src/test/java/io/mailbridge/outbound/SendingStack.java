package io.mailbridge.outbound;

import io.mailbridge.sandbox.Sandbox;
import io.mailbridge.sandbox.SandboxConfig;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.crm.CrmConfig;
import io.mailbridge.sandbox.crm.CrmStandIn;
import io.mailbridge.sandbox.identity.IdentitySettings;
import io.mailbridge.sandbox.smtp.SmtpRelay;
import io.mailbridge.sandbox.smtp.SmtpRelayConfig;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.support.TestSettings;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real parts the outbound tests run against, started once per test JVM: Azurite, the Microsoft
 * 365 sandbox (reached through MSAL4J and the Graph SDK), the custom SMTP relay presenting the
 * sandbox's certificate (so one CA file is trusted for both), and the CRM stand-in, all on the
 * sandbox's clock. One sandbox for all: MSAL keeps instance metadata per host JVM-wide.
 *
 * <p>Access tokens live 60 days here: tests move the sandbox's clock by days to cross the 24-hour
 * quota window, while MSAL judges a cached token's age by the system clock.
 */
public final class SendingStack implements AutoCloseable {
    public final Azurite azurite;
    public final Sandbox sandbox;
    public final SmtpRelay relay;
    public final CrmStandIn crm;
    public final StorageClients storage;

    private SendingStack(Azurite azurite, Sandbox sandbox, SmtpRelay relay, CrmStandIn crm) {
        this.azurite = azurite;
        this.sandbox = sandbox;
        this.relay = relay;
        this.crm = crm;
        this.storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
    }

    static SendingStack start(Azurite azurite) {
        return start(azurite, SandboxDirectory.sample());
    }

    /** A stack of its own whose sandbox holds {@code people}; only where no other sandbox runs in the JVM (MSAL). */
    public static SendingStack start(Azurite azurite, SandboxDirectory people) {
        Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withDirectory(people)
                .withIdentity(IdentitySettings.defaults().withAccessTokenLifetime(Duration.ofDays(60))));
        SmtpRelay relay = SmtpRelay.start(SmtpRelayConfig.defaults().withClock(sandbox.clock()), sandbox.tls());
        CrmStandIn crm = CrmStandIn.start(CrmConfig.defaults().withSigningSecret(TestSettings.CRM_SECRET).withClock(sandbox.clock()));
        return new SendingStack(azurite, sandbox, relay, crm);
    }

    /** App settings that point the app at these parts. */
    Map<String, String> settings() {
        Map<String, String> values = TestSettings.values();
        values.put("AzureWebJobsStorage", azurite.connectionString());
        values.put("MAILBRIDGE_ENTRA_AUTHORITY", sandbox.authority("organizations"));
        values.put("MAILBRIDGE_ENTRA_CLIENT_ID", sandbox.app().clientId());
        values.put("MAILBRIDGE_ENTRA_CLIENT_SECRET", sandbox.app().clientSecret());
        values.put("MAILBRIDGE_ENTRA_INSTANCE_DISCOVERY", sandbox.msalInstanceDiscoveryMetadata());
        values.put("MAILBRIDGE_GRAPH_BASE_URL", sandbox.graphBaseUrl());
        values.put("MAILBRIDGE_EXTRA_CA_CERTIFICATES", sandbox.trustedCertificateFile().toString());
        values.put("MAILBRIDGE_CRM_EVENTS_URL", crm.eventsUrl().toString());
        values.put("MAILBRIDGE_SMTP_HOST", relay.host());
        values.put("MAILBRIDGE_SMTP_PORT", Integer.toString(relay.port()));
        values.put("MAILBRIDGE_SMTP_USERNAME", relay.username());
        values.put("MAILBRIDGE_SMTP_PASSWORD", relay.password());
        values.put("MAILBRIDGE_SMTP_ENVELOPE_SENDER", "bounces@crm.example");
        values.put("MAILBRIDGE_SMTP_EXTRA_CA_CERTIFICATES", sandbox.trustedCertificateFile().toString());
        return values;
    }

    @Override
    public void close() {
        relay.close();
        crm.close();
        sandbox.close();
    }

    /** Gives tests the one stack of the run: {@code @ExtendWith(SendingStack.Extension.class)} and a {@code SendingStack} parameter. */
    public static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SendingStack.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SendingStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The run's Azurite, where AzuriteExtension keeps it.
            Azurite azurite = context.getRoot().getStore(ExtensionContext.Namespace.create(AzuriteExtension.class))
                    .getOrComputeIfAbsent("azurite", key -> Azurite.start(), Azurite.class);
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("stack", key -> start(azurite), SendingStack.class);
        }
    }
}
