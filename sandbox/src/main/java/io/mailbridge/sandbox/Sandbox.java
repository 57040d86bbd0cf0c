package io.mailbridge.sandbox;

import io.mailbridge.sandbox.control.ControlApi;
import io.mailbridge.sandbox.control.PeoplePages;
import io.mailbridge.sandbox.exchange.Exchange;
import io.mailbridge.sandbox.graph.GraphApi;
import io.mailbridge.sandbox.graph.MailboxGate;
import io.mailbridge.sandbox.http.SandboxHttpServer;
import io.mailbridge.sandbox.identity.IdentityPlatform;
import io.mailbridge.sandbox.tls.SandboxTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A running Microsoft 365 stand-in: identity platform, Graph v1.0 and Exchange behind one HTTPS
 * endpoint on loopback, with a certificate from the sandbox's own CA ({@link #tls()}), which also
 * issues the certificates of the app's local host and of tests' webhook receivers. Production code reaches it through
 * MSAL4J and the Graph SDK configured with {@link #authority(String)}, {@link #graphBaseUrl()} and
 * the trust material; tests also drive it through {@link #exchange()}, {@link #identity()} and
 * {@link #throttling()}. Other stand-ins join it with {@link #attach(AutoCloseable)} and close with it.
 */
public final class Sandbox implements AutoCloseable {
    private final SandboxConfig config;
    private final SandboxTls tls;
    private final SandboxHttpServer server;
    private final IdentityPlatform identity;
    private final Exchange exchange;
    private final MailboxGate throttling;
    private final GraphApi graph;
    private final Path trustedCertificateFile;
    private final Path trustStoreFile;
    private final Deque<AutoCloseable> attached = new ArrayDeque<>();

    private Sandbox(SandboxConfig config) {
        this.config = config;
        Path folder = trustFolder(config.trustDirectory());
        // A configured folder keeps the CA across runs, so a person trusts it once.
        this.tls = config.trustDirectory() != null ? SandboxTls.keptIn(folder) : SandboxTls.generate();
        this.server = new SandboxHttpServer(tls.serverContext(), config.port());
        String base = server.baseUrl();
        this.identity = new IdentityPlatform(base, config.directory(), config.clock(), config.identity());
        this.exchange = new Exchange(config.directory(), config.clock(), config.exchange(), tls.clientContext());
        this.throttling = new MailboxGate(config.clock(), config.requestsPerTenMinutes());
        this.graph = new GraphApi(base, config.directory(), identity, exchange, throttling, config.clock());
        this.trustedCertificateFile = folder.resolve("mailbridge-sandbox-ca.pem");
        this.trustStoreFile = folder.resolve("mailbridge-sandbox-truststore.p12");
        tls.writeTrustFiles(trustedCertificateFile, trustStoreFile);
        ControlApi control = new ControlApi(this);
        PeoplePages pages = new PeoplePages(this);
        server.route("/v1.0/", graph::handle);
        server.route("/upload/", graph::upload);
        server.route("/control", control::handle);
        server.route("/pages", pages::handle);
        server.route("/", identity::handle);
    }

    public static Sandbox start(SandboxConfig config) {
        Sandbox sandbox = new Sandbox(config);
        sandbox.server.start();
        return sandbox;
    }

    private static Path trustFolder(Path configured) {
        try {
            return configured != null ? Files.createDirectories(configured) : Files.createTempDirectory("mailbridge-sandbox-trust");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** https://127.0.0.1:{port} */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** The authority MSAL4J takes for a tenant (id, domain, "common" or "organizations"), with its trailing slash. */
    public String authority(String tenant) {
        return server.baseUrl() + "/" + tenant + "/";
    }

    /**
     * Instance discovery metadata for MSAL4J's aadInstanceDiscoveryResponse(...). MSAL keys its
     * token cache by the authority's host without the port and then calls that host on port 443
     * when it refreshes; this metadata makes the host-with-port the cache key, so refreshes reach
     * the sandbox's port. (MSAL keeps it in a JVM-wide map keyed by host: one sandbox port per JVM
     * at a time.)
     */
    public String msalInstanceDiscoveryMetadata() {
        String host = java.net.URI.create(server.baseUrl()).getHost();
        String hostAndPort = java.net.URI.create(server.baseUrl()).getAuthority();
        return "{\"tenant_discovery_endpoint\":\"" + server.baseUrl() + "/common/v2.0/.well-known/openid-configuration\","
                + "\"api-version\":\"1.1\",\"metadata\":[{\"preferred_network\":\"" + host + "\",\"preferred_cache\":\""
                + hostAndPort + "\",\"aliases\":[\"" + host + "\",\"" + hostAndPort + "\"]}]}";
    }

    /** The Graph base URL to give the SDK's request adapter: https://127.0.0.1:{port}/v1.0 */
    public String graphBaseUrl() {
        return graph.baseUrl();
    }

    public String controlUrl() {
        return server.baseUrl() + "/control";
    }

    public String pagesUrl() {
        return server.baseUrl() + "/pages";
    }

    public SandboxDirectory directory() {
        return config.directory();
    }

    public List<SandboxUser> users() {
        return config.directory().users();
    }

    public SandboxUser user(String idOrUpn) {
        return config.directory().user(idOrUpn).orElseThrow(() -> new IllegalArgumentException("No sandbox user " + idOrUpn));
    }

    /** The sample app registration's client id and secret (test values). */
    public AppRegistration app() {
        return config.directory().apps().get(0);
    }

    /**
     * Adds redirect URIs to the sample app's registration, as an operator adds them in the Entra
     * admin center: sign-in and admin consent then accept exactly these (http loopback at any port).
     */
    public void registerRedirectUris(String... uris) {
        identity.registerRedirectUris(app().clientId(), List.of(uris));
    }

    public SandboxClock clock() {
        return config.clock();
    }

    public SandboxTls tls() {
        return tls;
    }

    public String trustedCertificatePem() {
        return tls.certificatePem();
    }

    public Path trustedCertificateFile() {
        return trustedCertificateFile;
    }

    /** PKCS12, password {@link SandboxTls#TRUST_STORE_PASSWORD}. */
    public Path trustStoreFile() {
        return trustStoreFile;
    }

    public IdentityPlatform identity() {
        return identity;
    }

    public Exchange exchange() {
        return exchange;
    }

    public MailboxGate throttling() {
        return throttling;
    }

    /** TLS connections opened to the sandbox (identity platform and Graph share its one endpoint). */
    public long connectionsOpened() {
        return server.connectionsOpened();
    }

    /** Requests the user's mailbox got over HTTP from delegated clients so far (a JSON batch counts once). */
    public long graphRequests(String userId) {
        return graph.requestsBy(userId);
    }

    /** The same by kind: method and path without ids, e.g. "GET me/mailFolders/inbox/messages/delta" or "POST $batch". */
    public Map<String, Long> graphRequestsByKind(String userId) {
        return graph.requestsByKind(userId);
    }

    /** Closes the component when the sandbox closes (last attached, first closed). */
    public <T extends AutoCloseable> T attach(T component) {
        attached.push(component);
        return component;
    }

    @Override
    public void close() {
        while (!attached.isEmpty()) {
            try {
                attached.pop().close();
            } catch (Exception e) {
                throw new IllegalStateException("A sandbox component failed to close", e);
            }
        }
        server.close();
        exchange.close();
    }
}
