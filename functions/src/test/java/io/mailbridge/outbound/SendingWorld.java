package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.mailbridge.App;
import io.mailbridge.RandomTokens;
import io.mailbridge.config.Region;
import io.mailbridge.config.Settings;
import io.mailbridge.connect.Pkce;
import io.mailbridge.crm.CrmEventDeliveryFunction;
import io.mailbridge.crm.CrmEvents;
import io.mailbridge.crm.Hmac;
import io.mailbridge.graph.MailboxGraph;
import io.mailbridge.graph.MailboxProfile;
import io.mailbridge.graph.MicrosoftIdentity;
import io.mailbridge.http.Json;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxClock;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.Exchange;
import io.mailbridge.storage.Payloads;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.support.TestSettings;
import io.mailbridge.testkit.UniqueNames;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test's view of the app on the {@link SendingStack}: the real App built from settings, mailboxes
 * connected through the sandbox's sign-in (MSAL4J, PKCE) under accounts of its own, signed CRM calls
 * to the function classes, and the host's part played by hand: queue messages are taken from Azurite
 * and handed to the queue functions; a message Azurite keeps invisible for a delay is handed over
 * once the test has moved the sandbox's clock past that delay.
 */
public final class SendingWorld {
    private static final URI REDIRECT_URI = URI.create("http://localhost:7071/api/connect/callback");
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");
    private static final Pattern HIDDEN_CODE = Pattern.compile("<input type=\"hidden\" name=\"code\" value=\"([^\"]*)\">");

    /** A connected mailbox of this world. */
    public record Mailbox(String accountId, String userId, String address, List<String> aliases, SandboxUser user) {}

    public final SendingStack stack;
    public final App app;
    public final SandboxClock clock;
    private final Map<Integer, Long> lastSignedAt = new ConcurrentHashMap<>();
    final Outbox outbox;
    private final Settings settings;
    private final String accountPrefix = UniqueNames.next("acct");
    private final List<String[]> sends = new CopyOnWriteArrayList<>();
    private final Payloads payloads;
    private final MailboxConnections connections;
    private final App.Shared services;
    private final Hmac crmHmac = new Hmac(TestSettings.CRM_SECRET.getBytes(StandardCharsets.UTF_8));
    private final HttpClient browser;
    private int accounts;

    public SendingWorld(SendingStack stack, Map<String, String> overrides) {
        this.stack = stack;
        Map<String, String> values = stack.settings();
        values.putAll(overrides);
        this.settings = Settings.from(values);
        this.clock = stack.sandbox.clock();
        this.app = new App(settings, clock);
        this.services = app.shared();
        this.outbox = new Outbox(services.storage());
        this.payloads = services.payloads();
        this.connections = services.connections();
        this.browser = HttpClient.newBuilder().sslContext(stack.sandbox.tls().clientContext()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public SendingWorld(SendingStack stack) {
        this(stack, Map.of());
    }

    /** The app's events to the CRM, as the app sends them: {@link #drain()} delivers them to the CRM stand-in. */
    public CrmEvents events() {
        return services.events();
    }

    /** Graph clients for this world's connected mailboxes, with their stored tokens. */
    public MailboxGraph mailboxGraph() {
        return services.mailboxGraph();
    }

    // ---- mailboxes ----

    /** Connects the sandbox user's mailbox as a new CRM account's user: sign-in with PKCE, tokens stored, profile (and aliases) read. */
    public Mailbox connect(String sandboxUser, Profile profile) {
        return connect(sandboxUser, profile, signedIn -> MailboxProfile.read(services.graphClients().withToken(signedIn::accessToken), profile == Profile.FULL));
    }

    /**
     * Connects a mailbox as it was before Microsoft stopped serving it (a licence removed later): the connect flow's
     * look at the mailbox is skipped, its address taken from the directory.
     */
    public Mailbox connectWithoutLookingAtTheMailbox(String sandboxUser, Profile profile) {
        SandboxUser user = stack.sandbox.user(sandboxUser);
        return connect(sandboxUser, profile, signedIn -> new MailboxProfile(user.mail(), List.of(user.mail()), List.of(user.mail())));
    }

    private Mailbox connect(String sandboxUser, Profile profile, Function<MicrosoftIdentity.SignedIn, MailboxProfile> lookAtTheMailbox) {
        SandboxUser user = stack.sandbox.user(sandboxUser);
        String accountId = accountPrefix + "-" + (++accounts);
        String userId = "crm-" + user.userPrincipalName().substring(0, user.userPrincipalName().indexOf('.'));
        String verifier = RandomTokens.next();
        MicrosoftIdentity identity = services.identity();
        URI authorize = identity.authorizationUrl(REDIRECT_URI, profile.graphScopes(), "state-" + accountId, Pkce.challengeOf(verifier),
                user.userPrincipalName());
        MicrosoftIdentity.SignedIn signedIn = identity.redeem(signInAndConsent(authorize, user), REDIRECT_URI, profile.graphScopes(), verifier);
        services.tokens().store(accountId, userId, signedIn);
        MailboxProfile read = lookAtTheMailbox.apply(signedIn);
        Instant now = clock.instant();
        connections.connect(new MailboxConnection(accountId, userId, read.address(), ConnectionState.ACTIVE, SyncMode.TWO_WAY, profile,
                Region.US, read.aliases(), null, null, now, now), Optional.empty());
        return new Mailbox(accountId, userId, read.address(), read.aliases(), user);
    }

    /** The person on the sandbox's sign-in page: picks the user, accepts; returns the authorization code handed back. */
    private String signInAndConsent(URI authorize, SandboxUser user) {
        HttpResponse<String> page = browse(HttpRequest.newBuilder(authorize).GET().build());
        Matcher request = REQUEST_FIELD.matcher(page.body());
        if (!request.find()) {
            throw new AssertionError("No sign-in page: " + page.statusCode());
        }
        String action = authorize.toString().substring(0, authorize.toString().indexOf('?'));
        String form = "request=" + URLEncoder.encode(request.group(1), StandardCharsets.UTF_8) + "&user=" + user.id() + "&action=accept";
        HttpResponse<String> answer = browse(HttpRequest.newBuilder(URI.create(action)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (answer.statusCode() == 302) {
            String query = URI.create(answer.headers().firstValue("Location").orElseThrow()).getRawQuery();
            for (String pair : query.split("&")) {
                if (pair.startsWith("code=")) {
                    return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
        }
        Matcher code = HIDDEN_CODE.matcher(answer.body());
        if (code.find()) {
            return code.group(1);
        }
        throw new AssertionError("The sign-in handed back no code: " + answer.statusCode());
    }

    private HttpResponse<String> browse(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the CRM's calls ----

    /** POST .../sends, signed by the CRM; a 2xx answer's send is followed by {@link #settle()}. */
    public HttpResponseMessage requestSend(Mailbox mailbox, String body) {
        HttpResponseMessage response = app.getInstance(SendRequestFunction.class)
                .run(signed(HttpMethod.POST, sendsPath(mailbox), body), mailbox.accountId(), mailbox.userId());
        if (response.getStatusCode() / 100 == 2) {
            sends.add(new String[] {mailbox.accountId(), json(response).path("send").path("sendId").asText()});
        }
        return response;
    }

    HttpResponseMessage sendStatus(Mailbox mailbox, String sendId) {
        return app.getInstance(SendStatusFunction.class).run(signed(HttpMethod.GET, sendsPath(mailbox) + "/" + sendId, ""),
                mailbox.accountId(), mailbox.userId(), sendId);
    }

    HttpResponseMessage sendingStatus(Mailbox mailbox) {
        return app.getInstance(SendingStatusFunction.class).run(signed(HttpMethod.GET,
                "/api/accounts/" + mailbox.accountId() + "/mailboxes/" + mailbox.userId() + "/sending", ""), mailbox.accountId(), mailbox.userId());
    }

    /**
     * The app serves each signed mutating request once, as the CRM must sign each one afresh: an
     * identical request within the same second is signed with the next second instead.
     */
    FunctionHttpRequest<Optional<String>> signed(HttpMethod method, String pathAndQuery, String body) {
        String timestamp = Long.toString(lastSignedAt.merge(Objects.hash(method, pathAndQuery, body), clock.instant().getEpochSecond(),
                (last, now) -> Math.max(last + 1, now)));
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Mailbridge-Timestamp", timestamp);
        headers.put("X-Mailbridge-Signature", "v1=" + crmHmac.signHex(timestamp + "." + method.name() + "." + pathAndQuery + "." + body));
        return FunctionHttpRequest.of(URI.create("http://localhost:7071" + pathAndQuery), method, headers, Optional.of(body));
    }

    private static String sendsPath(Mailbox mailbox) {
        return "/api/accounts/" + mailbox.accountId() + "/mailboxes/" + mailbox.userId() + "/sends";
    }

    static JsonNode json(HttpResponseMessage response) {
        try {
            return Json.MAPPER.readTree((String) response.getBody());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A send request's body: one recipient, a text body, the given key and subject. */
    public static String mail(String key, String to, String subject) {
        return "{\"idempotencyKey\":\"" + key + "\",\"to\":[\"" + to + "\"],\"subject\":\"" + subject + "\",\"text\":\"Hello from the CRM\"}";
    }

    // ---- the host's part ----

    /** Hands every visible queue message to its function until both queues are empty; messages of other tests are dropped. */
    public void drain() {
        drain(1);
    }

    /** Like {@link #drain()}, each batch of outbound messages worked on by {@code workers} threads at once, as the host does. */
    void drain(int workers) {
        QueueClient outbound = stack.storage.queues().getQueueClient(StorageNames.OUTBOUND_MAIL_QUEUE);
        QueueClient crmEvents = stack.storage.queues().getQueueClient(StorageNames.CRM_EVENTS_QUEUE);
        OutboundMailFunction sender = app.getInstance(OutboundMailFunction.class);
        CrmEventDeliveryFunction delivery = app.getInstance(CrmEventDeliveryFunction.class);
        boolean any = true;
        while (any) {
            List<Runnable> batch = new ArrayList<>();
            for (QueueMessageItem message : outbound.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                batch.add(() -> {
                    String body = message.getBody().toString();
                    if (accountOf(body).startsWith(accountPrefix + "-")) {
                        sender.run(body);
                    }
                    outbound.deleteMessage(message.getMessageId(), message.getPopReceipt());
                });
            }
            any = !batch.isEmpty();
            inParallel(workers, batch);
            for (QueueMessageItem message : crmEvents.receiveMessages(32, Duration.ofMinutes(5), null, null)) {
                any = true;
                delivery.run(message.getBody().toString());
                crmEvents.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
    }

    private static String accountOf(String queueMessage) {
        try {
            return Json.MAPPER.readTree(queueMessage).path("accountId").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the queues until every send of this world is SENT or FAILED, moving the sandbox's clock to
     * the next moment a send waits for (Retry-After, back-off, pace, lease) and handing over the
     * message Azurite would release then.
     */
    public void settle() {
        settle(1);
    }

    /** Like {@link #settle()}, with {@code workers} sends worked on at once, as a host's batch or scaled-out hosts do. */
    public void settle(int workers) {
        for (int step = 0; step < 1000; step++) {
            drain(workers);
            List<OutboxRecord> open = records().stream().filter(r -> !r.state().isFinal()).toList();
            if (open.isEmpty()) {
                return;
            }
            Instant next = open.stream().map(OutboxRecord::notBefore).filter(Objects::nonNull).min(Comparator.naturalOrder())
                    .orElse(clock.instant());
            if (next.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next));
            }
            inParallel(workers, open.stream().filter(r -> r.isDueAt(clock.instant())).map(r -> (Runnable) () -> release(r.sendId())).toList());
        }
        fail("The sends did not settle: " + records());
    }

    /** Lets the sandbox's Exchange send every mail it accepted: its clock moves to each one's time in Outbox, and the mail leaves. */
    public void exchangeSendsWhatItAccepted() {
        Exchange exchange = stack.sandbox.exchange();
        for (Optional<Instant> due = exchange.nextSendDue(); due.isPresent(); due = exchange.nextSendDue()) {
            if (due.get().isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), due.get()));
            }
            exchange.releaseDueSends();
        }
    }

    /** Runs the jobs on {@code workers} threads at once (one: in order, on this thread); the first failure is thrown. */
    private static void inParallel(int workers, List<Runnable> jobs) {
        if (workers == 1) {
            jobs.forEach(Runnable::run);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (Future<?> job : pool.invokeAll(jobs.stream().map(Executors::callable).toList())) {
                job.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the host does when a send's delayed queue message becomes visible. */
    void release(String sendId) {
        OutboxRecord record = record(sendId);
        app.getInstance(OutboundMailFunction.class).run(SendJob.of(record).toJson());
    }

    /** Every send this world asked for, as the outbox has it now. */
    public List<OutboxRecord> records() {
        List<OutboxRecord> records = new ArrayList<>();
        for (String[] send : sends) {
            OutboxRecord record = outbox.find(send[0], send[1]).orElseThrow().value();
            if (records.stream().noneMatch(r -> r.sendId().equals(record.sendId()))) {
                records.add(record);
            }
        }
        return records;
    }

    OutboxRecord record(String sendId) {
        return records().stream().filter(r -> r.sendId().equals(sendId)).findFirst().orElseThrow();
    }

    /**
     * Leaves the outbox as an attempt through {@code transport} leaves it when it dies after the send
     * and before recording it: SENDING under that attempt's lease, with the mail's content still stored
     * and, for the mailbox, the id of the draft it sent (written before sending).
     */
    void dieAfterSending(OutboxRecord queued, String content, Transport transport) {
        Instant claimedAt = clock.instant();
        String draftId = record(queued.sendId()).delivery().mailboxMessageId();
        payloads.put(queued.message().payload(), content);
        outbox.update(queued.accountId(), queued.sendId(), r -> {
            OutboxRecord claimed = queued.sending(transport, claimedAt.plus(OutboundSender.LEASE), transport == Transport.MAILBOX, claimedAt);
            return draftId == null ? claimed : claimed.drafted(draftId, claimedAt);
        });
    }

    /**
     * Leaves the outbox and the mailbox as an attempt leaves them when it dies after making the send's draft and writing
     * its id, before sending it. Returns the draft's immutable id.
     */
    String dieAfterDrafting(OutboxRecord queued) {
        MailboxConnection connection = connections.find(queued.accountId(), queued.userId()).orElseThrow().value();
        OutgoingMail mail = MailJson.mail(contentOf(queued));
        Instant claimedAt = clock.instant();
        OutboxRecord claimed = queued.sending(Transport.MAILBOX, claimedAt.plus(OutboundSender.LEASE), false, claimedAt);
        String draftId = assertInstanceOf(GraphSender.Drafting.Made.class,
                new GraphSender(mailboxGraph()).open(connection).createDraft(claimed, mail)).draftId();
        outbox.update(queued.accountId(), queued.sendId(), r -> claimed.drafted(draftId, claimedAt));
        return draftId;
    }

    String contentOf(OutboxRecord record) {
        return payloads.get(record.message().payload()).orElseThrow();
    }

    boolean contentKept(OutboxRecord record) {
        return payloads.get(record.message().payload()).isPresent();
    }

    /** The send.status events the CRM stand-in stored for a send, in the order received. */
    List<CrmEvent> eventsOf(String sendId) {
        return stack.crm.events().stream().filter(e -> e.type().equals("send.status") && e.data().path("sendId").asText().equals(sendId))
                .toList();
    }
}
