package io.mailbridge.sandbox;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox beside the function app until stopped: prints its URLs, the trust file, the
 * sample app's client id and the sample users. Optional arguments: the port (default 8443), then
 * redirect URIs to register for the sample app besides its http loopback callbacks (any port).
 */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withPort(port));
        if (args.length > 1) {
            sandbox.registerRedirectUris(Arrays.copyOfRange(args, 1, args.length));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println(describe(sandbox));
        stopped.await();
    }

    /** What a person needs to use a running sandbox; the client secret is a published test value. */
    public static String describe(Sandbox sandbox) {
        StringBuilder text = new StringBuilder();
        text.append("Microsoft 365 sandbox running\n");
        text.append("  sign-in authority : ").append(sandbox.authority("{tenant}")).append('\n');
        text.append("  Graph base URL    : ").append(sandbox.graphBaseUrl()).append('\n');
        text.append("  control API       : ").append(sandbox.controlUrl()).append('\n');
        text.append("  people pages      : ").append(sandbox.pagesUrl()).append('\n');
        text.append("  CA to trust (PEM) : ").append(sandbox.trustedCertificateFile()).append('\n');
        text.append("  client id         : ").append(sandbox.app().clientId()).append('\n');
        text.append("  redirect URIs     : ").append(String.join(", ", sandbox.app().redirectUris())).append(" (+ any registered at start)\n");
        for (SandboxTenant tenant : sandbox.directory().tenants()) {
            text.append("  tenant ").append(tenant.displayName()).append(" (").append(tenant.region()).append(") ").append(tenant.id())
                    .append(tenant.userConsentAllowed() ? "" : "  [users may not consent: admin approval needed]").append('\n');
            for (SandboxUser user : sandbox.directory().usersOf(tenant.id())) {
                text.append("    ").append(user.userPrincipalName()).append("  ").append(String.join(", ", user.addresses()))
                        .append(user.mailboxEnabled() ? "" : "  [mailbox not enabled for REST]")
                        .append(user.admin() ? "  [admin]" : "").append('\n');
            }
        }
        return text.toString();
    }
}
