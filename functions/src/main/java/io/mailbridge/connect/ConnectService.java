package io.mailbridge.connect;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.RandomTokens;
import io.mailbridge.accounts.CrmAccounts;
import io.mailbridge.config.Settings;
import io.mailbridge.graph.GraphClients;
import io.mailbridge.graph.GraphSubscriptions;
import io.mailbridge.graph.MailboxProfile;
import io.mailbridge.graph.MailboxTokens;
import io.mailbridge.graph.MicrosoftException;
import io.mailbridge.graph.MicrosoftFailure;
import io.mailbridge.graph.MicrosoftIdentity;
import io.mailbridge.http.PublicUrls;
import io.mailbridge.inbound.InboundSync;
import io.mailbridge.mailbox.BccAddresses;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.ConnectionTransition;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.MailboxTakenException;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.storage.ConcurrentUpdateException;
import io.mailbridge.storage.FirstUses;
import io.mailbridge.storage.Stored;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import okhttp3.HttpUrl;

/**
 * Connecting a mailbox: the CRM's link is checked, the user picks a sync mode, signs in with
 * Microsoft (authorization code with PKCE, bound to the browser that started), and comes back
 * connected if the mailbox is the CRM user's own: tokens stored encrypted, aliases read,
 * subscriptions made, and the user sent back to the CRM.
 */
public final class ConnectService {
    private static final Logger LOG = Logger.getLogger(ConnectService.class.getName());
    public static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);
    public static final String CALLBACK_ROUTE = "connect/callback";
    /** Errors of the authorization endpoint passed on to the CRM as they are; others become sign_in_failed. */
    private static final Set<String> MICROSOFT_ERRORS = Set.of("access_denied", "consent_required", "interaction_required",
            "login_required", "server_error", "temporarily_unavailable", "invalid_request", "invalid_scope", "unauthorized_client");
    /** What Entra hands back when a tenant needs an administrator's approval (access_denied when the user leaves its page). */
    private static final Set<String> ADMIN_APPROVAL_ERRORS = Set.of("access_denied", "consent_required");
    private static final int CONNECT_ATTEMPTS = 3;

    private final ConnectGate gate;
    private final BrowserBinding browsers;
    private final FirstUses usedLinks;
    private final CrmAccounts accounts;
    private final SignInStates states;
    private final MicrosoftIdentity identity;
    private final GraphClients graphClients;
    private final MailboxTokens tokens;
    private final MailboxConnections connections;
    private final BccAddresses bccAddresses;
    private final GraphSubscriptions subscriptions;
    private final InboundSync inboundSync;
    private final Settings.Stamp stamp;
    private final AdminConsent adminConsent;
    private final Clock clock;

    public ConnectService(ConnectGate gate, BrowserBinding browsers, FirstUses usedLinks, CrmAccounts accounts, SignInStates states,
            MicrosoftIdentity identity, GraphClients graphClients, MailboxTokens tokens, MailboxConnections connections,
            BccAddresses bccAddresses, GraphSubscriptions subscriptions, InboundSync inboundSync, Settings.Stamp stamp,
            AdminConsent adminConsent, Clock clock) {
        this.gate = gate;
        this.browsers = browsers;
        this.usedLinks = usedLinks;
        this.accounts = accounts;
        this.states = states;
        this.identity = identity;
        this.graphClients = graphClients;
        this.tokens = tokens;
        this.connections = connections;
        this.bccAddresses = bccAddresses;
        this.subscriptions = subscriptions;
        this.inboundSync = inboundSync;
        this.stamp = stamp;
        this.adminConsent = adminConsent;
        this.clock = clock;
    }

    public sealed interface Started {
        /** Off to Microsoft, with the cookie that binds the sign-in to this browser. */
        record GoToMicrosoft(URI signInUrl, String setCookie) implements Started {}

        record Refused(Refusal refusal) implements Started {}
    }

    public sealed interface Finished {
        /** Connected: show what was connected, with the way back to the CRM. */
        record Connected(URI returnUrl, MailboxConnection connection) implements Finished {}

        /** Not connected: explain, then send the user back to the CRM with the error code. */
        record Failed(URI returnUrl, Refusal explanation) implements Finished {}

        /**
         * The person signed in to a mailbox that is not their CRM user's: nothing connected, no token
         * kept. {@code retryUrl} signs in again (choosing the account) in this same browser.
         */
        record WrongMailbox(URI returnUrl, String crmEmail, String signedInAddress, URI retryUrl) implements Finished {}

        /**
         * Not connected because the person left Microsoft's sign-in (as they must from "Need admin approval")
         * or consent is missing: explain, with a link for their administrator and the way back to the CRM.
         */
        record NeedsAdminApproval(URI returnUrl, URI adminConsentUrl) implements Finished {}

        /** Nothing to return to: the sign-in state is unknown, used, expired, or belongs to another browser. */
        record Refused(Refusal refusal) implements Finished {}
    }

    /** The connect page: may this user connect here, and with which profile? Viewing it does not use the link up. */
    public ConnectGate.Admission open(String link) {
        ConnectGate.Admission admission = gate.admit(link);
        return switch (admission) {
            // Back after connecting: say so now rather than after another choice.
            case ConnectGate.Admission.Admitted(ConnectRequest request, Profile profile) when usedLinks.isClaimed(request.linkId()) ->
                    new ConnectGate.Admission.Refused(Refusal.usedLink().backTo(request.returnUrl()));
            case ConnectGate.Admission.Admitted admitted -> admission;
            case ConnectGate.Admission.Refused refused -> admission;
        };
    }

    /** The user's mailbox connection, unless disconnected: the connect page says so and offers to reconnect or change mode. */
    public Optional<MailboxConnection> connectionOf(ConnectRequest request) {
        return connections.find(request.accountId(), request.userId()).map(Stored::value)
                .filter(connection -> connection.state() != ConnectionState.DISCONNECTED);
    }

    /**
     * Sign in with Microsoft: uses the link up, remembers the sign-in (single use, 10 minutes) bound to this browser's
     * cookie, and sends the user to Microsoft.
     */
    public Started start(String link, String modeChoice, Map<String, String> headers) {
        if (browsers.isCrossSite(headers)) {
            return new Started.Refused(Refusal.crossSiteStart());
        }
        return switch (gate.admit(link)) {
            case ConnectGate.Admission.Refused(Refusal refusal) -> new Started.Refused(refusal);
            case ConnectGate.Admission.Admitted(ConnectRequest request, Profile profile) -> start(request, profile, modeChoice, headers);
        };
    }

    private Started start(ConnectRequest request, Profile profile, String modeChoice, Map<String, String> headers) {
        Optional<SyncMode> mode = parseMode(modeChoice);
        if (mode.isEmpty()) {
            return new Started.Refused(Refusal.unknownMode().backTo(request.returnUrl()));
        }
        if (!usedLinks.claim(request.linkId(), request.expiresAt().plus(ConnectLinks.CLOCK_SKEW))) {
            return new Started.Refused(Refusal.usedLink().backTo(request.returnUrl()));
        }
        BrowserBinding.Binding browser = browsers.bind(headers);
        SignInState signIn = new SignInState(RandomTokens.next(), request.accountId(), request.userId(), request.userEmail(), mode.get(),
                profile, request.returnUrl().toString(), RandomTokens.next(), browser.hash(),
                clock.instant().plus(SIGN_IN_LIFETIME));
        return new Started.GoToMicrosoft(goToMicrosoft(signIn), browser.setCookie());
    }

    /** Microsoft's redirect back: redeem the code once, in the browser that started, and connect, or explain why not. */
    public Finished finish(String state, String code, String error, Map<String, String> headers) {
        if (state == null || state.isBlank()) {
            return new Finished.Refused(Refusal.callbackWithoutSignIn());
        }
        Optional<SignInState> signIn = states.consume(state, clock.instant());
        if (signIn.isEmpty()) {
            return new Finished.Refused(Refusal.usedOrExpiredSignIn());
        }
        SignInState started = signIn.get();
        if (!browsers.matches(headers, started.browserHash())) {
            // The code is never redeemed: whoever signed in here did not start this sign-in (login CSRF).
            LOG.warning(() -> "Sign-in for " + started.accountId() + "/" + started.userId()
                    + " came back in a browser that did not start it; refused");
            return new Finished.Refused(Refusal.otherBrowser());
        }
        URI returnUrl = URI.create(started.returnUrl());
        if (error != null && !error.isBlank()) {
            String errorCode = MICROSOFT_ERRORS.contains(error) ? error : "sign_in_failed";
            LOG.info(() -> "Sign-in for " + started.accountId() + "/" + started.userId() + " ended with Microsoft error " + errorCode);
            if (ADMIN_APPROVAL_ERRORS.contains(errorCode)) {
                return new Finished.NeedsAdminApproval(withQuery(returnUrl, "error", errorCode), adminConsent.linkFor(started));
            }
            return failed(returnUrl, errorCode);
        }
        if (code == null || code.isBlank()) {
            return failed(returnUrl, "invalid_request");
        }
        try {
            MicrosoftIdentity.SignedIn signedIn = identity.redeem(code, callbackUri(), started.profile().graphScopes(), started.codeVerifier());
            GraphServiceClient graph = graphClients.withToken(signedIn::accessToken);
            MailboxProfile mailbox = MailboxProfile.read(graph, started.profile() == Profile.FULL);
            if (!mailbox.owns(started.userEmail()) && !accounts.allowsOtherMailboxes(started.accountId())) {
                return wrongMailbox(started, mailbox, returnUrl);
            }
            MailboxConnection connection = connect(started, mailbox, signedIn);
            alignSubscriptions(graph, connection);
            // A reconnect after NEEDS_REAUTH resumes from the stored delta links: nothing in between is lost.
            inboundSync.requestCatchUp(connection, Duration.ZERO);
            LOG.info(() -> "Connected " + connection.logName() + " for " + connection.accountId() + "/" + connection.userId()
                    + " (" + connection.mode() + ", " + connection.profile() + ")");
            return new Finished.Connected(withQuery(returnUrl, "status", "connected"), connection);
        } catch (MailboxTakenException e) {
            return failed(returnUrl, "mailbox_taken");
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Sign-in for " + started.accountId() + "/" + started.userId() + " failed: " + e.getMessage());
            return failed(returnUrl, errorCodeFor(e.failure()));
        }
    }

    /** The connect page's error code (see {@link Refusal#notConnected}) for a Microsoft failure during the callback. */
    static String errorCodeFor(MicrosoftFailure failure) {
        return switch (failure) {
            case MicrosoftFailure.MailboxUnusable unusable -> "mailbox_not_supported";
            // Graph refused the mailbox to the app (consent withdrawn, an application access policy): the administrator can act.
            case MicrosoftFailure.AccessDenied denied -> "consent_required";
            case MicrosoftFailure.Throttled throttled -> "temporarily_unavailable";
            case MicrosoftFailure.Transient failed -> "temporarily_unavailable";
            case MicrosoftFailure.QuotaSpent spent -> "temporarily_unavailable";
            case MicrosoftFailure.Reauthenticate reauthenticate -> "sign_in_failed";
            case MicrosoftFailure.NotFound notFound -> "sign_in_failed";
            case MicrosoftFailure.ResyncRequired resync -> "sign_in_failed";
            case MicrosoftFailure.Refused refused -> "sign_in_failed";
        };
    }

    /** The tokens just redeemed are dropped unused; a fresh sign-in in the same browser lets the person pick their own account. */
    private Finished wrongMailbox(SignInState started, MailboxProfile mailbox, URI returnUrl) {
        LOG.warning(() -> "Sign-in for " + started.accountId() + "/" + started.userId()
                + " chose a mailbox that is not the CRM user's; nothing connected");
        SignInState retry = started.retry(RandomTokens.next(), RandomTokens.next(), clock.instant().plus(SIGN_IN_LIFETIME));
        return new Finished.WrongMailbox(withQuery(returnUrl, "error", "mailbox_mismatch"), started.userEmail(), mailbox.address(),
                goToMicrosoft(retry));
    }

    /** Stores the sign-in and builds Microsoft's sign-in URL for it, with the CRM user's email as the hint. */
    private URI goToMicrosoft(SignInState signIn) {
        states.save(signIn);
        return identity.authorizationUrl(callbackUri(), signIn.profile().graphScopes(), signIn.state(),
                Pkce.challengeOf(signIn.codeVerifier()), signIn.userEmail());
    }

    /** Writes tokens and the connection; a reconnect keeps the connection, its BCC address and its history. */
    private MailboxConnection connect(SignInState started, MailboxProfile mailbox, MicrosoftIdentity.SignedIn signedIn) {
        String newBccAddress = null;
        for (int attempt = 1; ; attempt++) {
            Optional<Stored<MailboxConnection>> existing = connections.find(started.accountId(), started.userId());
            String bccAddress = existing.map(s -> s.value().bccAddress()).orElse(newBccAddress);
            if (bccAddress == null) {
                bccAddress = newBccAddress = bccAddresses.issue(started.accountId(), started.userId());
            }
            Instant now = clock.instant();
            MailboxConnection connection = new MailboxConnection(started.accountId(), started.userId(), mailbox.address(),
                    ConnectionTransition.RECONNECT.target(), started.mode(), started.profile(), stamp.region(), mailbox.aliases(), bccAddress, null,
                    existing.map(s -> s.value().createdAt()).orElse(now), now);
            try {
                connections.connect(connection, existing);
                tokens.store(started.accountId(), started.userId(), signedIn);
                return connection;
            } catch (ConcurrentUpdateException e) {
                if (attempt == CONNECT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Checks the mailbox's subscriptions against Graph's list first, so a reconnect heals one Graph lost. A connection
     * without its subscriptions still works by periodic catch-up; the renewal timer retries them.
     */
    private void alignSubscriptions(GraphServiceClient graph, MailboxConnection connection) {
        try {
            subscriptions.reconcileAndAlign(graph, connection);
        } catch (MicrosoftException e) {
            LOG.warning(() -> "Subscriptions for " + connection.accountId() + "/" + connection.userId() + " not created: " + e.getMessage());
            connections.update(connection.accountId(), connection.userId(),
                    c -> c.withState(c.state(), "Change notifications could not be set up yet (" + e.errorCode() + ")", clock.instant()));
        }
    }

    private Finished failed(URI returnUrl, String errorCode) {
        return new Finished.Failed(withQuery(returnUrl, "error", errorCode), Refusal.notConnected(errorCode));
    }

    private URI callbackUri() {
        return PublicUrls.route(stamp.publicBaseUrl(), CALLBACK_ROUTE);
    }

    static Optional<SyncMode> parseMode(String choice) {
        if (choice == null || choice.isBlank()) {
            return Optional.of(SyncMode.TWO_WAY);
        }
        try {
            return Optional.of(SyncMode.valueOf(choice.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The CRM's return page with one more query parameter; its own query and fragment are kept. */
    static URI withQuery(URI url, String name, String value) {
        return HttpUrl.get(url.toString()).newBuilder().addQueryParameter(name, value).build().uri();
    }
}
