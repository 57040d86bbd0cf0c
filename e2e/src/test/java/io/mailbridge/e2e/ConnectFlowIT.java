package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.e2e.support.Web;
import io.mailbridge.graph.MailSubscription;
import io.mailbridge.graph.Subscriptions;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.SandboxDirectory;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connecting a mailbox through the real pages, MSAL4J against the sandbox, Azurite, and the local host. */
@ExtendWith(StackExtension.class)
class ConnectFlowIT {
    private static final List<String> MAY_CONNECT = List.of("Sales", "Connect to mailbox");

    private Stack stack;
    private Connecting connecting;
    private MailboxApi api;
    private MailboxConnections connections;
    private String account;
    private SandboxUser adele;
    private SandboxUser alex;

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.api = new MailboxApi(stack);
        this.connections = new MailboxConnections(stack.storage());
        this.account = UniqueNames.next("acct");
        this.adele = stack.sandbox().user("adele.vance@contoso.example");
        this.alex = stack.sandbox().user("alex.wilber@contoso.example");
    }

    private String link(String userId, SandboxUser mailbox) {
        return connecting.link(account, userId, mailbox, MAY_CONNECT, "US");
    }

    @Test
    void oneWayConnectStoresAnActiveConnectionAndSendsTheUserBackToTheCrm() {
        String link = link("u1", adele);
        HttpResponse<String> page = connecting.openConnectPage(link);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("value=\"TWO_WAY\" checked"), "2-way is the default");
        assertTrue(page.body().contains("<label for=\"mode-one-way\">1-way sync</label>"));

        HttpResponse<String> back = connecting.connect(link, "ONE_WAY", adele, "accept");

        assertEquals(200, back.statusCode(), back.body());
        MailboxConnection connection = connections.find(account, "u1").orElseThrow().value();
        assertTrue(back.body().contains("<dd id=\"connected-mailbox\">adele.vance@contoso.example</dd>"), back.body());
        assertTrue(back.body().contains("<dd id=\"connected-mode\">1-way sync</dd>"), back.body());
        assertTrue(back.body().contains("adele@contoso.example, sales@contoso.example"), "the aliases found: " + back.body());
        assertTrue(back.body().contains("id=\"bcc-address\" type=\"text\" readonly size=\"40\" value=\"" + connection.bccAddress() + "\""),
                "1-way shows the BCC address: " + back.body());
        assertTrue(back.body().contains("put this address in BCC"), back.body());
        assertFalse(back.body().contains("http-equiv=\"refresh\""), "the BCC address stays until the person leaves");
        assertTrue(back.body().contains("href=\"" + Html(stack.crm().returnUrl(account, "u1") + "&status=connected") + "\""),
                "the way back to the CRM says connected: " + back.body());
        assertTrue(back.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'sha256-"),
                "the copy button's script is allowed by its hash alone");
        assertEquals(ConnectionState.ACTIVE, connection.state());
        assertEquals(SyncMode.ONE_WAY, connection.mode());
        assertEquals(Profile.FULL, connection.profile());
        assertEquals("adele.vance@contoso.example", connection.mailboxAddress());
        assertTrue(connection.aliases().containsAll(List.of("adele.vance@contoso.example", "adele@contoso.example",
                "sales@contoso.example")), connection.aliases().toString());
        assertTrue(connection.bccAddress().matches("bcc-[a-z0-9-]{20,}@bcc\\.mailbridge\\.localhost"), connection.bccAddress());
        assertTrue(new Subscriptions(stack.storage()).of(account, "u1").isEmpty(), "1-way needs no subscription");

        JsonNode status = api.status(account, "u1");
        assertEquals("ACTIVE", status.get("state").asText());
        assertEquals("ONE_WAY", status.get("mode").asText());
        assertEquals(connection.bccAddress(), status.get("bccAddress").asText());
    }

    @Test
    void twoWayConnectSubscribesToInboxAndSentItemsThroughTheWebhook() {
        HttpResponse<String> back = connecting.connect(link("u2", alex), "TWO_WAY", alex, "accept");

        assertEquals(200, back.statusCode(), back.body());
        assertTrue(back.body().contains("<dd id=\"connected-mode\">2-way sync</dd>"), back.body());
        assertFalse(back.body().contains("bcc-address"), "2-way needs no BCC address");
        List<String> folders = new Subscriptions(stack.storage()).of(account, "u2").stream().map(s -> s.folder()).sorted().toList();
        assertEquals(List.of("inbox", "sentitems"), folders);
        long atGraph = stack.sandbox().exchange().subscriptions().live().stream()
                .filter(s -> s.userId().equals(alex.id()) && s.notificationUrl().startsWith(stack.appBaseUrl().toString())).count();
        assertTrue(atGraph >= 2, "Graph validated and holds the subscriptions: " + atGraph);
        assertEquals(2, api.status(account, "u2").get("subscriptions").size());
        for (MailSubscription stored : new Subscriptions(stack.storage()).of(account, "u2")) {
            String clientState = stack.sandbox().exchange().subscriptions().get(stored.id()).orElseThrow().clientState();
            assertEquals(MailSubscription.hashOf(clientState), stored.clientStateHash(), "only the client state's hash is stored");
            assertTrue(stored.provenBy(clientState));
        }
    }

    @Test
    void aReconnectKeepsOneConnectionItsBccAddressAndOneSetOfSubscriptions() {
        assertEquals(200, connecting.connect(link("u3", alex), "TWO_WAY", alex, "accept").statusCode());
        MailboxConnection first = connections.find(account, "u3").orElseThrow().value();
        List<String> firstSubscriptions = new Subscriptions(stack.storage()).of(account, "u3").stream().map(s -> s.id()).sorted().toList();

        HttpResponse<String> again = connecting.openConnectPage(link("u3", alex));
        assertTrue(again.body().contains("id=\"already-connected\""), again.body());
        assertTrue(again.body().contains("<strong>alex.wilber@contoso.example</strong> is already connected with 2-way sync"), again.body());
        assertTrue(again.body().contains("value=\"TWO_WAY\" checked"), "the current mode is preselected");
        assertEquals(200, connecting.connect(link("u3", alex), "TWO_WAY", alex, "accept").statusCode());

        MailboxConnection second = connections.find(account, "u3").orElseThrow().value();
        assertEquals(first.bccAddress(), second.bccAddress());
        assertEquals(first.createdAt(), second.createdAt());
        assertEquals(firstSubscriptions,
                new Subscriptions(stack.storage()).of(account, "u3").stream().map(s -> s.id()).sorted().toList());
    }

    @Test
    void aSecondUserOfTheAccountCannotConnectTheSameMailbox() {
        assertEquals(200, connecting.connect(link("first", adele), "ONE_WAY", adele, "accept").statusCode());

        HttpResponse<String> refused = connecting.connect(link("second", adele), "ONE_WAY", adele, "accept");

        assertEquals(200, refused.statusCode());
        assertTrue(refused.body().contains("This mailbox is already connected"), refused.body());
        assertTrue(refused.body().contains(Html(stack.crm().returnUrl(account, "second") + "&error=mailbox_taken")), refused.body());
        assertEquals(Optional.empty(), connections.find(account, "second"));
    }

    @Test
    void cancellingAtMicrosoftStoresNothingAndReturnsToTheCrmWithTheError() {
        HttpResponse<String> page = connecting.connect(link("u4", adele), "ONE_WAY", adele, "cancel");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("The sign-in with Microsoft ended before this app was allowed to read your mail."), page.body());
        assertTrue(page.body().contains("id=\"admin-consent-link\""), "in case it was Need admin approval: a link for the administrator");
        String target = Html(stack.crm().returnUrl(account, "u4") + "&error=access_denied");
        assertFalse(page.body().contains("http-equiv=\"refresh\""), "the explanation stays until the person acts");
        assertTrue(page.body().contains("href=\"" + target + "\""), page.body());
        assertEquals(Optional.empty(), connections.find(account, "u4"));
    }

    @Test
    void aReplayedCallbackNeverMakesASecondConnection() {
        HttpResponse<String> toMicrosoft = connecting.proceed(link("u5", adele), "ONE_WAY");
        URI authorize = Web.location(toMicrosoft);
        HttpResponse<String> signInPage = connecting.web().get(authorize);
        HttpResponse<String> handBack = connecting.web().postForm(Web.formAction(signInPage),
                Map.of("request", Web.hiddenFields(signInPage.body()).get("request"), "user", adele.id(), "action", "accept"));
        Map<String, String> answer = Web.hiddenFields(handBack.body());

        assertEquals(200, connecting.web().postForm(Web.formAction(handBack), answer).statusCode());
        HttpResponse<String> replay = connecting.web().postForm(Web.formAction(handBack), answer);

        assertEquals(400, replay.statusCode());
        assertTrue(replay.body().contains("This sign-in has already finished or expired"), replay.body());
        assertEquals(1, connections.all().stream().filter(c -> c.accountId().equals(account)).count());
    }

    @Test
    void aSignInStateExpiresAfterTenMinutes() {
        HttpResponse<String> toMicrosoft = connecting.proceed(link("u6", adele), "ONE_WAY");
        stack.sandbox().clock().advance(Duration.ofMinutes(11));

        HttpResponse<String> late = connecting.signInAtMicrosoft(Web.location(toMicrosoft), adele, "accept");

        assertEquals(400, late.statusCode(), late.body());
        assertEquals(Optional.empty(), connections.find(account, "u6"));
    }

    @Test
    void aUserWithoutTheRoleIsToldExactlyWhyAndNothingIsStored() {
        HttpResponse<String> page = connecting.openConnectPage(connecting.link(account, "norole", adele, List.of("Sales"), "US"));

        assertEquals(403, page.statusCode());
        assertTrue(page.body().contains("You don&#39;t have permission to connect your email to the CRM"), page.body());
        assertTrue(page.body().contains("Ask your administrator to enable the &#39;Connect to mailbox&#39; role for you."));
        assertFalse(page.body().contains("<form"));
        assertTrue(page.body().contains(backToCrm("norole")), "a way back to the CRM: " + page.body());
        HttpResponse<String> start = connecting.proceed(connecting.link(account, "norole", adele, List.of("Sales"), "US"), "ONE_WAY");
        assertEquals(403, start.statusCode(), "the start checks the role again");
        assertEquals(Optional.empty(), connections.find(account, "norole"));
    }

    @Test
    void forgedExpiredAndMisdirectedLinksAreRefused() {
        String link = link("u7", adele);
        String tampered = link.substring(0, link.length() - 3) + (link.endsWith("AAA") ? "BBB" : "AAA");
        assertEquals(401, connecting.openConnectPage(tampered).statusCode());

        String euAccount = connecting.link(account, "u7", adele, MAY_CONNECT, "EU");
        HttpResponse<String> wrongRegion = connecting.openConnectPage(euAccount);
        assertEquals(403, wrongRegion.statusCode());
        assertTrue(wrongRegion.body().contains("keeps its data in the EU region, and this is the US service"), wrongRegion.body());
        assertTrue(wrongRegion.body().contains(backToCrm("u7")), wrongRegion.body());

        HttpResponse<String> noMode = connecting.proceed(link, "THREE_WAY");
        assertEquals(400, noMode.statusCode(), noMode.body());
        assertTrue(noMode.body().contains(backToCrm("u7")), "an unknown mode leads back too: " + noMode.body());

        String unused = link("u7b", adele);
        stack.sandbox().clock().advance(Duration.ofMinutes(10));
        HttpResponse<String> expired = connecting.openConnectPage(unused);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.body().contains("This link has expired"), expired.body());
        assertTrue(expired.body().contains(backToCrm("u7b")), "the signed return address still leads back: " + expired.body());
        assertFalse(connecting.openConnectPage(tampered).body().contains("Back to the CRM"), "a forged link's address is never linked");
        for (HttpResponse<String> problem : List.of(wrongRegion, noMode, expired)) {
            assertFalse(problem.body().contains("http-equiv=\"refresh\""), "the explanation stays until the person acts");
        }
    }

    @Test
    void addressesOpenedDirectlyAnswerWithAPageThatSaysWhereToStart() {
        HttpResponse<String> start = connecting.web().get(stack.appBaseUrl().resolve("api/connect/start"));
        assertEquals(400, start.statusCode(), start.body());
        assertTrue(start.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(start.body().contains("Start connecting from your CRM"), start.body());

        HttpResponse<String> callback = connecting.web().get(stack.appBaseUrl().resolve("api/connect/callback"));
        assertEquals(400, callback.statusCode(), callback.body());
        assertTrue(callback.body().contains("No sign-in to finish here"), callback.body());
        assertFalse(callback.body().contains("already finished"), callback.body());
    }

    @Test
    void aBrowserThatPrefersGermanGetsTheConnectPagesInGerman() {
        String link = link("deutsch", adele);
        HttpResponse<String> page = connecting.web().send(java.net.http.HttpRequest.newBuilder(
                stack.appBaseUrl().resolve("api/connect?request=" + java.net.URLEncoder.encode(link, java.nio.charset.StandardCharsets.UTF_8)))
                .header("Accept-Language", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7").GET());

        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().startsWith("<!DOCTYPE html>\n<html lang=\"de\">"), page.body());
        assertEquals("de", page.headers().firstValue("Content-Language").orElseThrow());
        assertTrue(page.body().contains("<title>Microsoft 365-Postfach verbinden</title>"), page.body());
        assertTrue(page.body().contains("Nur E-Mails zwischen Ihnen und Ihren Interessenten werden synchronisiert"), page.body());
        assertTrue(page.body().contains("<span>Mit Microsoft anmelden</span>"), page.body());

        HttpResponse<String> refused = connecting.web().send(java.net.http.HttpRequest.newBuilder(
                stack.appBaseUrl().resolve("api/connect/start")).header("Accept-Language", "fr;q=1, de;q=0.5, en;q=0.2").GET());
        assertTrue(refused.body().contains("Beginnen Sie die Verbindung in Ihrem CRM"), "French is not shipped, German is next: "
                + refused.body());
    }

    private String backToCrm(String userId) {
        return "href=\"" + Html(stack.crm().returnUrl(account, userId).toString()) + "\">Back to the CRM</a>";
    }

    @Test
    void microsoftsRefusalsBecomeReadablePagesWithAnErrorForTheCrm() {
        SandboxUser isaiah = stack.sandbox().user("isaiah.langer@contoso.example");

        HttpResponse<String> unlicensed = connecting.connect(link("isaiah", isaiah), "ONE_WAY", isaiah, "accept");

        assertTrue(unlicensed.body().contains("&amp;error=mailbox_not_supported"), unlicensed.body());
        assertEquals(Optional.empty(), connections.find(account, "isaiah"));
    }

    @Test
    void aUserWhoseOrganizationNeedsApprovalGetsALinkThatLetsTheAdminApproveThenConnects() {
        SandboxUser pradeep = stack.sandbox().user("pradeep.gupta@northwind.example");
        try {
            HttpResponse<String> toMicrosoft = connecting.proceed(link("pradeep", pradeep), "ONE_WAY");
            Web web = connecting.web();
            HttpResponse<String> signIn = web.get(Web.location(toMicrosoft));
            HttpResponse<String> approval = web.postForm(Web.formAction(signIn),
                    Map.of("request", Web.hiddenFields(signIn.body()).get("request"), "user", pradeep.id(), "action", "accept"));
            assertTrue(approval.body().contains("Need admin approval"), approval.body());
            assertFalse(approval.body().contains("api/connect/callback"), "Entra tells the app nothing from this page");

            HttpResponse<String> formPost = web.postForm(Web.formAction(approval),
                    Map.of("request", Web.hiddenFields(approval.body()).get("request"), "action", "return"));
            HttpResponse<String> page = web.postForm(Web.formAction(formPost), Web.hiddenFields(formPost.body()));
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains(Html(stack.crm().returnUrl(account, "pradeep") + "&error=access_denied")), page.body());
            Matcher linkField = Pattern.compile("id=\"admin-consent-link\" type=\"text\" readonly size=\"60\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(linkField.find(), page.body());
            URI adminLink = URI.create(Web.unescape(linkField.group(1)));
            assertEquals(Optional.empty(), connections.find(account, "pradeep"));

            HttpResponse<String> consentPage = web.get(adminLink);
            HttpResponse<String> granted = web.postForm(Web.formAction(consentPage), Map.of("request", Web.hiddenFields(consentPage.body()).get("request"),
                    "user", stack.sandbox().user("patti.fernandez@northwind.example").id(), "action", "accept"));
            HttpResponse<String> confirmation = web.get(Web.location(granted));
            assertEquals(200, confirmation.statusCode(), confirmation.body());
            assertTrue(confirmation.body().contains("Thank you: the app is approved"), confirmation.body());
            assertTrue(confirmation.body().contains("pradeep.gupta@northwind.example</strong> can now connect"), confirmation.body());

            URI forged = URI.create(Web.location(granted).toString().replaceAll("state=[^&]+", "state=forged"));
            assertEquals(400, web.get(forged).statusCode(), "a confirmation needs a state we issued");

            HttpResponse<String> back = connecting.connect(link("pradeep", pradeep), "ONE_WAY", pradeep, "accept");
            assertEquals(200, back.statusCode(), back.body());
            assertTrue(connections.find(account, "pradeep").isPresent());
        } finally {
            stack.sandbox().identity().revokeAdminConsent(SandboxDirectory.NORTHWIND_TENANT_ID, stack.sandbox().app().clientId());
        }
    }

    @Test
    void aRestrictedAccountConnectsWithReadOnlyScopesAndNoAliases() {
        assertEquals(200, api.setProfile(account, "RESTRICTED").statusCode());

        assertEquals(200, connecting.connect(link("u8", adele), "ONE_WAY", adele, "accept").statusCode());

        MailboxConnection connection = connections.find(account, "u8").orElseThrow().value();
        assertEquals(Profile.RESTRICTED, connection.profile());
        assertEquals(List.of("adele.vance@contoso.example"), connection.aliases());
    }

    private static String Html(String text) {
        return text.replace("&", "&amp;");
    }

    @Test
    void aSignInFinishedInABrowserThatDidNotStartItConnectsNothing() {
        // The attacker starts connecting their own CRM user, then gets the victim to open Microsoft's sign-in URL.
        HttpResponse<String> toMicrosoft = connecting.proceed(link("attacker", alex), "TWO_WAY");
        // Served over https, the binding cookie takes the __Host- prefix: Secure, no Domain, Path=/, so no sibling host can plant it.
        String setCookie = toMicrosoft.headers().firstValue("Set-Cookie").orElseThrow();
        assertEquals("https", toMicrosoft.uri().getScheme());
        assertTrue(setCookie.startsWith("__Host-mailbridge-signin="), setCookie);
        assertTrue(setCookie.contains("; Secure") && setCookie.contains("; Path=/") && !setCookie.contains("Domain="), setCookie);
        Connecting victim = new Connecting(stack);

        HttpResponse<String> refused = victim.signInAtMicrosoft(Web.location(toMicrosoft), adele, "accept");

        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Finish connecting in the browser you started in"), refused.body());
        assertEquals(Optional.empty(), connections.find(account, "attacker"));
        assertTrue(stack.crm().eventsFor(account, "attacker").isEmpty(), "the CRM heard of no connection");
    }

    @Test
    void aLinkStartsOneSignInButItsPageCanBeViewedAgain() {
        String link = link("once", adele);
        assertEquals(200, connecting.openConnectPage(link).statusCode());
        assertEquals(200, connecting.openConnectPage(link).statusCode(), "viewing the page does not use the link");

        assertEquals(302, connecting.proceed(link, "ONE_WAY").statusCode());
        HttpResponse<String> again = new Connecting(stack).proceed(link, "ONE_WAY");

        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("This link was already used"), again.body());
        assertTrue(again.body().contains("href=\"" + Html(stack.crm().returnUrl(account, "once").toString()) + "\""),
                "a way back to the CRM: " + again.body());
        HttpResponse<String> pageAfterUse = connecting.openConnectPage(link);
        assertEquals(409, pageAfterUse.statusCode(), "back to the page after using the link: told at once");
        assertTrue(pageAfterUse.body().contains("This link was already used"), pageAfterUse.body());
    }

    @Test
    void aStartPostedFromAnotherSiteIsRefusedAndLeavesTheLinkUnused() {
        String link = link("crosssite", adele);
        HttpResponse<String> fromElsewhere = connecting.web().send(java.net.http.HttpRequest.newBuilder(stack.appBaseUrl().resolve("api/connect/start"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://attacker.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("mode=ONE_WAY&request=" + java.net.URLEncoder.encode(link,
                        java.nio.charset.StandardCharsets.UTF_8))));

        assertEquals(403, fromElsewhere.statusCode(), fromElsewhere.body());
        assertTrue(fromElsewhere.body().contains("came from another website"), fromElsewhere.body());
        assertTrue(fromElsewhere.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(200, connecting.connect(link, "ONE_WAY", adele, "accept").statusCode(), "the person can still go on");
    }

    @Test
    void aMailboxThatIsNotTheCrmUsersOwnIsNotConnectedAndThePersonCanSignInAgain() {
        String link = link("alex-crm", alex);

        HttpResponse<String> wrong = connecting.connect(link, "TWO_WAY", adele, "accept");

        assertEquals(403, wrong.statusCode(), wrong.body());
        assertTrue(wrong.body().contains("<strong id=\"signed-in-address\">adele.vance@contoso.example</strong>"), wrong.body());
        assertTrue(wrong.body().contains("<strong id=\"crm-address\">alex.wilber@contoso.example</strong>"), wrong.body());
        assertTrue(wrong.body().contains(Html(stack.crm().returnUrl(account, "alex-crm") + "&error=mailbox_mismatch")), wrong.body());
        assertFalse(wrong.body().contains("http-equiv=\"refresh\""), "the advice stays until the person acts");
        assertEquals(Optional.empty(), connections.find(account, "alex-crm"));
        assertEquals(Optional.empty(), new io.mailbridge.graph.TokenCaches(stack.storage()).find(account, "alex-crm"), "no token kept");
        assertTrue(new Subscriptions(stack.storage()).of(account, "alex-crm").isEmpty());

        URI again = URI.create(Web.unescape(between(wrong.body(), "id=\"sign-in-again\" href=\"", "\"")));
        assertEquals("select_account", Web.query(again).get("prompt"));
        HttpResponse<String> back = connecting.signInAtMicrosoft(again, alex, "accept");

        assertEquals(200, back.statusCode(), back.body());
        assertEquals("alex.wilber@contoso.example", connections.find(account, "alex-crm").orElseThrow().value().mailboxAddress());
    }

    @Test
    void supportCanLetAnAccountConnectMailboxesOtherThanItsUsersCrmEmails() {
        HttpResponse<String> allowed = api.setOtherMailboxesAllowed(account, true);
        assertEquals(200, allowed.statusCode(), allowed.body());

        HttpResponse<String> back = connecting.connect(link("shared-desk", alex), "ONE_WAY", adele, "accept");

        assertEquals(200, back.statusCode(), back.body());
        assertEquals("adele.vance@contoso.example", connections.find(account, "shared-desk").orElseThrow().value().mailboxAddress());
        assertTrue(new io.mailbridge.mailbox.AuditLog(stack.storage()).of(account, 10).stream()
                .anyMatch(e -> e.action().equals("other_mailboxes_allowed") && e.detail().equals("true")), "support's switch is audited");
        assertEquals(400, api.setOtherMailboxesAllowed(account, null).statusCode(), "allowed must be true or false");
    }

    private static String between(String text, String before, String after) {
        int start = text.indexOf(before);
        assertTrue(start >= 0, "no " + before + " in " + text);
        start += before.length();
        return text.substring(start, text.indexOf(after, start));
    }
}
