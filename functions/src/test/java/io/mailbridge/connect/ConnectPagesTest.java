package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.HttpMethod;
import io.mailbridge.config.Region;
import io.mailbridge.config.Settings;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectPagesTest {
    private static final URI RETURN = URI.create("https://crm.example/profile?user=u1");
    private static final ConnectRequest ADELE = new ConnectRequest("link-1", "contoso", "u1", "adele@contoso.example",
            Set.of(ConnectRequest.CONNECT_ROLE), RETURN, Region.US, Instant.parse("2026-01-01T00:05:00Z"));

    private static final ConnectPages PAGES = new ConnectPages(new Settings.Brand("Mailbridge", Optional.empty()));

    private static FunctionHttpRequest<Optional<String>> get() {
        return FunctionHttpRequest.of(URI.create("https://app.example/api/connect"), HttpMethod.GET, Map.of(), Optional.empty());
    }

    private static FunctionHttpRequest<Optional<String>> inGerman() {
        return FunctionHttpRequest.of(URI.create("https://app.example/api/connect"), HttpMethod.GET,
                Map.of("Accept-Language", "de-DE,de;q=0.9,en;q=0.8"), Optional.empty());
    }

    private static String body(Object response) {
        return ((FunctionHttpResponse) response).text();
    }

    private static MailboxConnection connection(SyncMode mode) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new MailboxConnection("contoso", "u1", "adele@contoso.example", ConnectionState.ACTIVE, mode, Profile.FULL, Region.US,
                List.of("adele@contoso.example", "sales@contoso.example"), "bcc-x@bcc.example", null, now, now);
    }

    @Test
    void theModePageSaysWhat2WaySyncsAndSignsInWithMicrosoftsButton() {
        String page = body(PAGES.choice(get(), ADELE, Profile.FULL, "the-link", Optional.empty()));

        assertTrue(page.contains("Only mail between you and your prospects syncs"), page);
        assertTrue(page.contains("<span>Sign in with Microsoft</span>"), page);
        assertTrue(page.contains("fill=\"#f25022\"") && page.contains("fill=\"#ffb900\""), "the four-square logo, inline");
        assertTrue(page.contains("border:1px solid #8c8c8c") && page.contains("color:#5e5e5e") && page.contains("font-size:15px"));
        assertFalse(page.contains("already-connected"));
        assertTrue(page.contains("href=\"" + RETURN + "\">Back to the CRM</a>"), page);
        assertFalse(page.contains("Proceed"));
    }

    @Test
    void theModePageTellsAConnectedUserAndPreselectsTheirMode() {
        String page = body(PAGES.choice(get(), ADELE, Profile.FULL, "the-link", Optional.of(connection(SyncMode.ONE_WAY))));

        assertTrue(page.contains("<strong>adele@contoso.example</strong> is already connected with 1-way sync"), page);
        assertTrue(page.contains("value=\"ONE_WAY\" checked"), page);
        assertFalse(page.contains("value=\"TWO_WAY\" checked"), page);
    }

    @Test
    void aConnectionMicrosoftStoppedAcceptingIsNamedAsSuch() {
        MailboxConnection stopped = connection(SyncMode.TWO_WAY).withState(ConnectionState.NEEDS_REAUTH, "invalid_grant",
                Instant.parse("2026-01-02T00:00:00Z"));
        String page = body(PAGES.choice(get(), ADELE, Profile.FULL, "the-link", Optional.of(stopped)));

        assertTrue(page.contains("is connected with 2-way sync, but its mail is not syncing at the moment"), page);
    }

    @Test
    void theConnectedPageShowsTheBccAddressFor1WayWithACopyButton() {
        FunctionHttpResponse response = (FunctionHttpResponse) PAGES.connected(get(),
                new ConnectService.Finished.Connected(URI.create(RETURN + "&status=connected"), connection(SyncMode.ONE_WAY)));

        assertEquals(200, response.getStatusCode());
        assertTrue(response.text().contains("<dd id=\"connected-aliases\">sales@contoso.example</dd>"), response.text());
        assertTrue(response.text().contains("value=\"bcc-x@bcc.example\""), response.text());
        assertTrue(response.text().contains("id=\"copy-bcc\" hidden"), "the button shows only where its script runs");
        assertTrue(response.headers().get("Content-Security-Policy").contains("script-src 'sha256-"));
        assertFalse(response.text().contains("http-equiv=\"refresh\""));
        assertTrue(response.text().contains("&amp;status=connected\">Back to the CRM</a>"), response.text());
    }

    @Test
    void theConnectedPageFor2WayHasNoBccAddressAndNoScript() {
        FunctionHttpResponse response = (FunctionHttpResponse) PAGES.connected(get(),
                new ConnectService.Finished.Connected(RETURN, connection(SyncMode.TWO_WAY)));

        assertTrue(response.text().contains("<dd id=\"connected-mode\">2-way sync</dd>"), response.text());
        assertFalse(response.text().contains("bcc-address"));
        assertFalse(response.headers().get("Content-Security-Policy").contains("script-src"));
    }

    @Test
    void aRefusalWithAKnownReturnAddressLinksBackAndOneWithoutDoesNot() {
        String withWay = body(PAGES.refusal(get(), Refusal.expiredLink().backTo(RETURN)));
        String without = body(PAGES.refusal(get(), Refusal.callbackWithoutSignIn()));

        assertTrue(withWay.contains("Back to the CRM"), withWay);
        assertFalse(without.contains("Back to the CRM"), without);
        assertTrue(without.contains("No sign-in to finish here"), without);
    }

    @Test
    void pagesAreEnglishByDefaultAndGermanWhenTheBrowserPrefersIt() {
        FunctionHttpResponse english = (FunctionHttpResponse) PAGES.choice(get(), ADELE, Profile.FULL, "the-link", Optional.empty());
        FunctionHttpResponse german = (FunctionHttpResponse) PAGES.choice(inGerman(), ADELE, Profile.FULL, "the-link", Optional.empty());

        assertTrue(english.text().contains("<html lang=\"en\">"), english.text());
        assertEquals("en", english.headers().get("Content-Language"));
        assertTrue(german.text().contains("<html lang=\"de\">"), german.text());
        assertEquals("de", german.headers().get("Content-Language"));
        assertTrue(german.text().contains("<title>Microsoft 365-Postfach verbinden</title>"), german.text());
        assertTrue(german.text().contains("Nur E-Mails zwischen Ihnen und Ihren Interessenten werden synchronisiert"), german.text());
        assertTrue(german.text().contains("<span>Mit Microsoft anmelden</span>"), german.text());
        assertTrue(german.text().contains(">Zurück zum CRM</a>"), german.text());
    }

    @Test
    void theGermanConnectedPageExplainsTheBccAddressInGerman() {
        String page = body(PAGES.connected(inGerman(), new ConnectService.Finished.Connected(RETURN, connection(SyncMode.ONE_WAY))));

        assertTrue(page.contains("<title>Ihr Postfach ist verbunden</title>"), page);
        assertTrue(page.contains("<dd id=\"connected-mode\">1-Weg-Synchronisierung</dd>"), page);
        assertTrue(page.contains("setzen Sie diese Adresse in BCC"), page);
        assertTrue(page.contains("s.textContent='Adresse kopiert.'"), page);
        assertTrue(page.contains(">Adresse kopieren</button>"), page);
    }

    @Test
    void aGermanRefusalPutsItsValuesInAndLinksBack() {
        String page = body(PAGES.refusal(inGerman(), Refusal.wrongRegion("EU", "US").backTo(RETURN)));

        assertTrue(page.contains("in der Region EU, und dies ist der Dienst der Region US"), page);
        assertTrue(page.contains(">Zurück zum CRM</a>"), page);
    }

    @Test
    void theBrandNameAndLogoHeadEveryPageAndTheLogoIsAllowedByThePolicy() {
        ConnectPages branded = new ConnectPages(new Settings.Brand("Contoso CRM", Optional.of(URI.create("https://cdn.contoso.example/logo.svg"))));
        FunctionHttpResponse page = (FunctionHttpResponse) branded.refusal(get(), Refusal.usedLink());

        assertTrue(page.text().contains("<img src=\"https://cdn.contoso.example/logo.svg\" alt=\"\" height=\"32\"> <span>Contoso CRM</span>"),
                page.text());
        assertTrue(page.headers().get("Content-Security-Policy").contains(" img-src https://cdn.contoso.example;"),
                page.headers().get("Content-Security-Policy"));
        assertFalse(((FunctionHttpResponse) PAGES.refusal(get(), Refusal.usedLink())).headers().get("Content-Security-Policy").contains("img-src"));
    }
}
