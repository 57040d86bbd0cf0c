package io.mailbridge.connect;

import io.mailbridge.RandomTokens;
import io.mailbridge.config.Settings;
import io.mailbridge.http.PublicUrls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Admin consent as a feature: when a tenant lets only administrators approve apps, the user gets a
 * link to Microsoft's v2 admin consent endpoint to send to an administrator; the administrator's
 * return lands here and is checked against the stored request before anything is confirmed.
 */
public final class AdminConsent {
    private static final Logger LOG = Logger.getLogger(AdminConsent.class.getName());
    public static final String ROUTE = "connect/adminconsent";
    /** Long enough for an administrator to act on a forwarded link, short enough not to linger. */
    public static final Duration LINK_LIFETIME = Duration.ofDays(7);
    /** What MSAL adds to every sign-in: the administrator approves these too, or the user's sign-in still stops. */
    private static final Set<String> SIGN_IN_SCOPES = Set.of("openid", "profile", "offline_access");
    /** Entra's descriptions are a few lines (AADSTS code, message, trace and correlation ids). */
    private static final int MAX_DESCRIPTION = 500;
    private static final Pattern TENANT_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AdminConsentRequests requests;
    private final Settings.Microsoft microsoft;
    private final Settings.Stamp stamp;
    private final Clock clock;

    public AdminConsent(AdminConsentRequests requests, Settings.Microsoft microsoft, Settings.Stamp stamp, Clock clock) {
        this.requests = requests;
        this.microsoft = microsoft;
        this.stamp = stamp;
        this.clock = clock;
    }

    public sealed interface Outcome {
        /** An administrator approved the app for their organization: the user can connect now. */
        record Granted(String userEmail, String tenantId) implements Outcome {}

        /** Microsoft answered with an error (cancelled, or not an administrator): nothing was approved. */
        record NotGranted(String userEmail, String description) implements Outcome {}

        /** Not a link of ours, or expired: nothing is confirmed. */
        record Unknown() implements Outcome {}
    }

    /** Remembers who asked and returns the admin consent link for the permissions this sign-in asked for. */
    URI linkFor(SignInState signIn) {
        AdminConsentRequest request = new AdminConsentRequest(RandomTokens.next(), signIn.accountId(), signIn.userId(), signIn.userEmail(),
                clock.instant().plus(LINK_LIFETIME));
        requests.save(request);
        Set<String> scopes = new TreeSet<>(SIGN_IN_SCOPES);
        scopes.addAll(signIn.profile().graphScopes());
        return HttpUrl.get(authorityForAdmins()).newBuilder().addPathSegments("v2.0/adminconsent")
                .addQueryParameter("client_id", microsoft.clientId())
                .addQueryParameter("scope", String.join(" ", scopes))
                .addQueryParameter("redirect_uri", PublicUrls.route(stamp.publicBaseUrl(), ROUTE).toString())
                .addQueryParameter("state", request.state())
                .build().uri();
    }

    /** The administrator's return from Microsoft: confirmed only for a state we issued and that is still valid. */
    public Outcome receive(Map<String, String> query) {
        Optional<AdminConsentRequest> request = requests.find(query.get("state"), clock.instant());
        if (request.isEmpty()) {
            LOG.warning("Admin consent callback with an unknown or expired state; nothing confirmed");
            return new Outcome.Unknown();
        }
        AdminConsentRequest asked = request.get();
        String error = query.get("error");
        String tenant = query.getOrDefault("tenant", "");
        if (error != null && !error.isBlank() || !"True".equalsIgnoreCase(query.get("admin_consent")) || !TENANT_ID.matcher(tenant).matches()) {
            // The error comes through the administrator's browser: log it only in OAuth's own alphabet.
            String logged = error != null && error.matches("[a-z_]{1,64}") ? error : "no confirmation";
            LOG.info(() -> "Admin consent for " + asked.accountId() + "/" + asked.userId() + " not granted: " + logged);
            // Shown escaped, and cut short: it is text from the query string, which only Microsoft should have written.
            String description = Optional.ofNullable(query.get("error_description")).filter(text -> !text.isBlank())
                    .map(text -> text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "…" : text)
                    .orElse("Microsoft did not confirm the approval.");
            return new Outcome.NotGranted(asked.userEmail(), description);
        }
        LOG.info(() -> "Admin consent granted in tenant " + tenant + " for " + asked.accountId() + "/" + asked.userId());
        return new Outcome.Granted(asked.userEmail(), tenant);
    }

    /** Microsoft: "do not use common" for admin consent; organizations lets any work account's administrator sign in. */
    private String authorityForAdmins() {
        String authority = microsoft.authority().toString();
        String base = authority.endsWith("/") ? authority : authority + "/";
        return base.endsWith("/common/") ? base.substring(0, base.length() - "common/".length()) + "organizations/" : base;
    }
}
