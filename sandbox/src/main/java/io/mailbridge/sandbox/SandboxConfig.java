package io.mailbridge.sandbox;

import io.mailbridge.sandbox.exchange.ExchangeSettings;
import io.mailbridge.sandbox.identity.IdentitySettings;
import java.nio.file.Path;

/**
 * How to start a sandbox: the loopback port (0 picks a free one), who exists, the identity
 * platform's lifetimes, Exchange's limits and delivery behaviour, Outlook's request budget per
 * mailbox per 10 minutes, the clock, and where to write the trust files (null: a temporary folder).
 */
public record SandboxConfig(int port, SandboxDirectory directory, IdentitySettings identity, ExchangeSettings exchange,
                            int requestsPerTenMinutes, SandboxClock clock, Path trustDirectory) {

    /** Microsoft's numbers, the sample tenants, a free port. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(0, SandboxDirectory.sample(), IdentitySettings.defaults(), ExchangeSettings.defaults(), 10_000,
                SandboxClock.system(), null);
    }

    public SandboxConfig withPort(int newPort) {
        return new SandboxConfig(newPort, directory, identity, exchange, requestsPerTenMinutes, clock, trustDirectory);
    }

    public SandboxConfig withDirectory(SandboxDirectory people) {
        return new SandboxConfig(port, people, identity, exchange, requestsPerTenMinutes, clock, trustDirectory);
    }

    public SandboxConfig withIdentity(IdentitySettings settings) {
        return new SandboxConfig(port, directory, settings, exchange, requestsPerTenMinutes, clock, trustDirectory);
    }

    public SandboxConfig withExchange(ExchangeSettings settings) {
        return new SandboxConfig(port, directory, identity, settings, requestsPerTenMinutes, clock, trustDirectory);
    }

    public SandboxConfig withTrustDirectory(Path directoryForTrustFiles) {
        return new SandboxConfig(port, directory, identity, exchange, requestsPerTenMinutes, clock, directoryForTrustFiles);
    }
}
