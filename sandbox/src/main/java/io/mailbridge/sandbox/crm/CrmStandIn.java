package io.mailbridge.sandbox.crm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * The CRM, as far as the app can tell: it receives the app's signed events on {@link #eventsUrl()},
 * refuses forged, stale or malformed ones (401 or 400, with a problem body), stores each event id once
 * however often it comes, keeps each account's prospect list, and shows a page per user of what it got.
 *
 * <pre>{@code
 * try (CrmStandIn crm = CrmStandIn.start()) {
 *     // give the app crm.eventsUrl() and crm.signingSecret()
 *     crm.setProspects("acct-1", List.of("buyer@fabrikam.test"));
 *     crm.failNext(2, 503);
 *     CrmEvent event = crm.awaitEvent(e -> e.type().equals("email.received"), Duration.ofSeconds(10));
 *     assertEquals(1, crm.timesReceived(event.id()));
 * }
 * }</pre>
 */
public final class CrmStandIn implements AutoCloseable {
    /** The stand-in listens on IPv4 loopback only. */
    public static final String HOST = "127.0.0.1";

    private final CrmConfig config;
    private final HttpServer server;
    private final ExecutorService workers;
    private final Inbox inbox;
    private final ProspectLists prospects;
    private final ConnectSide connectSide;

    private CrmStandIn(CrmConfig config, HttpServer server, ExecutorService workers, Inbox inbox, ProspectLists prospects,
            ConnectSide connectSide) {
        this.config = config;
        this.server = server;
        this.workers = workers;
        this.inbox = inbox;
        this.prospects = prospects;
        this.connectSide = connectSide;
    }

    public static CrmStandIn start() {
        return start(CrmConfig.defaults());
    }

    public static CrmStandIn start(CrmConfig config) {
        Inbox inbox = new Inbox();
        ProspectLists prospects = new ProspectLists();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(HOST, config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + HOST + ":" + config.port() + " for the CRM stand-in", e);
        }
        // A thread per request, so a deliberately slow answer never holds up the next event.
        ExecutorService workers = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(workers);
        ConnectSide connectSide = new ConnectSide(config.signingSecret(), config.clock());
        server.createContext("/", new CrmRoutes(new EventIntake(config), inbox, prospects, connectSide, config.clock()));
        server.start();
        return new CrmStandIn(config, server, workers, inbox, prospects, connectSide);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUrl() {
        return URI.create("http://" + HOST + ":" + port() + "/");
    }

    /** Where the app POSTs its events. */
    public URI eventsUrl() {
        return baseUrl().resolve("events");
    }

    /** The page of what the CRM received for one user. */
    public URI userPageUrl(String accountId, String userId) {
        return baseUrl().resolve(CrmPages.userPath(accountId, userId).substring(1));
    }

    /** The account's prospect list as JSON: GET to read, PUT {@code {"prospects": [...]}} to replace. */
    public URI prospectsUrl(String accountId) {
        return baseUrl().resolve(CrmPages.prospectsPath(accountId).substring(1));
    }

    /**
     * Turns on the CRM's side of connecting mailboxes: {@link #profileUrl()} lists {@code users}, each with
     * Connect email &gt; Microsoft 365, which sends the browser with a signed link to the app's stamp for the
     * user's region ({@code stamps}: region to base URL); the return page reads the connection's status from
     * that stamp's API with {@code functionKey}, trusting the app's certificate as {@code appTrust} does.
     */
    public void offerConnect(Map<String, URI> stamps, SSLContext appTrust, String functionKey, List<CrmUser> users) {
        connectSide.offer(new ConnectSide.Offer(stamps, appTrust, functionKey, users));
    }

    /** The profile page where a person starts connecting a mailbox. */
    public URI profileUrl() {
        return baseUrl().resolve("profile");
    }

    /** Where the app sends a user back after connecting (before the app adds status or error). */
    public URI returnUrl(String accountId, String userId) {
        return baseUrl().resolve("profile/return?account=" + java.net.URLEncoder.encode(accountId, java.nio.charset.StandardCharsets.UTF_8)
                + "&user=" + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The secret the app must sign events with. */
    public String signingSecret() {
        return config.signingSecret();
    }

    /** Every stored event, each id once, in the order first received. */
    public List<CrmEvent> events() {
        return inbox.events();
    }

    public List<CrmEvent> eventsFor(String accountId, String userId) {
        return inbox.eventsFor(accountId, userId);
    }

    /** Every POST to the events endpoint, in order, with how it was answered. */
    public List<CrmDelivery> deliveries() {
        return inbox.deliveries();
    }

    /** The deliveries refused as forged, stale or malformed. */
    public List<CrmDelivery> refusals() {
        return deliveries().stream().filter(delivery -> delivery.outcome() instanceof CrmOutcome.Refused).toList();
    }

    /** How many times an authentic event with this id arrived: 1 means delivered once, 0 never. */
    public int timesReceived(String eventId) {
        return inbox.timesReceived(eventId);
    }

    /** Waits until a stored event matches and returns the first that does; fails the test at the deadline. */
    public CrmEvent awaitEvent(Predicate<? super CrmEvent> matching, Duration timeout) {
        return inbox.awaitEvents(1, matching, timeout).get(0);
    }

    /** Waits until at least {@code count} stored events match and returns all that do. */
    public List<CrmEvent> awaitEvents(int count, Predicate<? super CrmEvent> matching, Duration timeout) {
        return inbox.awaitEvents(count, matching, timeout);
    }

    /** Answers the next {@code count} event POSTs with {@code status} (an error such as 503), storing nothing. */
    public void failNext(int count, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("A failure status is 4xx or 5xx, not " + status);
        }
        inbox.schedule(count, new CrmFault.Fail(status));
    }

    /** Stores the next {@code count} events as usual but answers each only after {@code delay}. */
    public void slowNext(int count, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        inbox.schedule(count, new CrmFault.Delay(delay));
    }

    /** Drops the failures and delays not yet served. What was received stays recorded. */
    public void reset() {
        inbox.clearFaults();
    }

    /** The account's prospects: lower-cased, sorted. */
    public SortedSet<String> prospects(String accountId) {
        return prospects.of(accountId);
    }

    public void setProspects(String accountId, Collection<String> addresses) {
        prospects.replace(accountId, addresses);
    }

    public void addProspects(String accountId, Collection<String> addresses) {
        prospects.add(accountId, addresses);
    }

    public void removeProspects(String accountId, Collection<String> addresses) {
        prospects.remove(accountId, addresses);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow(); // wakes handlers sleeping through a scheduled delay
    }

    @Override
    public String toString() {
        return "CrmStandIn[" + baseUrl() + "]";
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "crm-stand-in-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
