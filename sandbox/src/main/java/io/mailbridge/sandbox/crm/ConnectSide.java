package io.mailbridge.sandbox.crm;

import static io.mailbridge.html.HtmlEscaping.escape;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.mailbridge.sandbox.http.Html;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * The CRM's side of connecting a mailbox, for trying the product as a person would: a profile page
 * with Connect email &gt; Microsoft 365 per CRM user, which sends the browser to the app with a
 * signed, short-lived link (an HS256 JWT), and the return page, which shows what the app then
 * reports about the connection through its signed mailbox API.
 */
final class ConnectSide {
    /** How long a connect link works: long enough to click through, short enough to be useless later. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(5);

    /**
     * Where the app's stamp for each region is, what their certificates chain to, how to call their API, and whom
     * the profile page lists; every user's region has a stamp.
     */
    record Offer(Map<String, URI> stamps, SSLContext appTrust, String functionKey, List<CrmUser> users) {
        Offer {
            stamps = Map.copyOf(stamps);
            users = List.copyOf(users);
            for (CrmUser user : users) {
                if (!stamps.containsKey(user.region())) {
                    throw new IllegalArgumentException("No stamp serves region " + user.region() + " of " + user.email()
                            + "; stamps: " + stamps.keySet());
                }
            }
        }

        /** The stamp that serves this user's account. */
        URI stampOf(CrmUser user) {
            return stamps.get(user.region());
        }

        Optional<CrmUser> user(String accountId, String userId) {
            return users.stream().filter(u -> u.accountId().equals(accountId) && u.userId().equals(userId)).findFirst();
        }
    }

    private final String secret;
    private final Clock clock;
    private volatile Offer offer;
    private volatile HttpClient http;

    ConnectSide(String secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    void offer(Offer offer) {
        this.http = HttpClient.newBuilder().sslContext(offer.appTrust()).connectTimeout(Duration.ofSeconds(5)).build();
        this.offer = offer;
    }

    Optional<Offer> offer() {
        return Optional.ofNullable(offer);
    }

    String profilePage() {
        Offer current = offer;
        StringBuilder html = new StringBuilder("<h1>Profile &gt; Connect email</h1>\n");
        if (current == null) {
            return Html.page("CRM profile", html.append("<p>The app is not connected to this CRM stand-in.</p>").toString());
        }
        html.append("<p>Choose who you are in the CRM, then connect that user's Microsoft 365 mailbox.</p>\n<ul>\n");
        for (CrmUser user : current.users()) {
            html.append("<li><strong>").append(escape(user.displayName())).append("</strong> (")
                    .append(escape(user.email())).append(", account ").append(escape(user.accountId()))
                    .append(", region ").append(escape(user.region())).append(", served by ")
                    .append(escape(current.stampOf(user).toString())).append(", ")
                    .append(user.mayConnect() ? "may connect a mailbox" : "without the 'Connect to mailbox' role")
                    .append(") <form method=\"get\" action=\"/profile/connect\" style=\"display:inline\">")
                    .append("<input type=\"hidden\" name=\"account\" value=\"").append(escape(user.accountId())).append("\">")
                    .append("<input type=\"hidden\" name=\"user\" value=\"").append(escape(user.userId())).append("\">")
                    .append("<button type=\"submit\" aria-label=\"Connect email &gt; Microsoft 365 for ").append(escape(user.displayName()))
                    .append("\">Connect email &gt; Microsoft 365</button></form> ")
                    .append("<a href=\"").append(escape(returnPath(user))).append("\">status</a></li>\n");
        }
        return Html.page("CRM profile", html.append("</ul>\n").toString());
    }

    /** The app's connect URL with a freshly signed link for the user, or empty for an unknown user. */
    Optional<URI> connectUrl(URI crmBaseUrl, String accountId, String userId) {
        Offer current = offer;
        if (current == null) {
            return Optional.empty();
        }
        return current.user(accountId, userId)
                .map(user -> URI.create(current.stampOf(user).resolve("api/connect") + "?request="
                        + URLEncoder.encode(signedLink(crmBaseUrl, user), StandardCharsets.UTF_8)));
    }

    String returnPage(String accountId, String userId, Map<String, String> query) {
        StringBuilder html = new StringBuilder("<h1>Back in the CRM</h1>\n");
        if (query.containsKey("status")) {
            html.append("<p role=\"status\">The app says: <strong id=\"outcome\">").append(escape(query.get("status")))
                    .append("</strong></p>\n");
        } else if (query.containsKey("error")) {
            html.append("<p role=\"alert\">The mailbox was not connected: <strong id=\"outcome\">").append(escape(query.get("error")))
                    .append("</strong></p>\n");
        }
        html.append(connectionStatus(accountId, userId)).append("<p><a href=\"/profile\">Back to the profile page</a></p>\n");
        return Html.page("CRM: mailbox of " + userId, html.toString());
    }

    private String connectionStatus(String accountId, String userId) {
        Offer current = offer;
        Optional<CrmUser> user = current == null ? Optional.empty() : current.user(accountId, userId);
        if (user.isEmpty()) {
            return "";
        }
        String path = "/api/accounts/" + encode(accountId) + "/mailboxes/" + encode(userId);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(current.stampOf(user.get()).resolve(path.substring(1)))
                .timeout(Duration.ofSeconds(10))
                .header("x-functions-key", current.functionKey())
                .header("X-Mailbridge-Timestamp", timestamp)
                // The app's request signature is the events' scheme over "GET.<path>." as the body.
                .header("X-Mailbridge-Signature", EventSignature.sign(secret.getBytes(StandardCharsets.UTF_8), timestamp,
                        ("GET." + path + ".").getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return "<p id=\"connection\">No mailbox is connected for this user.</p>\n";
            }
            if (response.statusCode() != 200) {
                return "<p id=\"connection\">The app answered " + response.statusCode() + ".</p>\n";
            }
            JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
            StringBuilder html = new StringBuilder("<dl id=\"connection\">\n");
            for (String field : List.of("state", "mailbox", "mode", "profile", "region", "bccAddress", "lastError")) {
                if (status.hasNonNull(field)) {
                    html.append("<dt>").append(field).append("</dt><dd id=\"connection-").append(field).append("\">")
                            .append(escape(status.get(field).asText())).append("</dd>\n");
                }
            }
            return html.append("</dl>\n").toString();
        } catch (IOException | Json.MalformedJsonException e) {
            return "<p id=\"connection\">The app could not be reached or answered nonsense.</p>\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String signedLink(URI crmBaseUrl, CrmUser user) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("account_id", user.accountId());
        claims.put("sub", user.userId());
        claims.put("email", user.email());
        claims.put("roles", user.roles());
        claims.put("return_url", crmBaseUrl.resolve(returnPath(user).substring(1)).toString());
        claims.put("region", user.region());
        claims.put("iat", now);
        claims.put("exp", now + LINK_LIFETIME.toSeconds());
        // A fresh id per link: the app lets each link start one sign-in.
        claims.put("jti", UUID.randomUUID().toString());
        JWSObject link = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                new Payload(Json.bytes(Json.MAPPER.valueToTree(claims))));
        try {
            link.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("The CRM's secret cannot sign HS256: " + e.getMessage(), e);
        }
        return link.serialize();
    }

    private static String returnPath(CrmUser user) {
        return "/profile/return?account=" + encode(user.accountId()) + "&user=" + encode(user.userId());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
