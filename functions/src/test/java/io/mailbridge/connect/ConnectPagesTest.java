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
import io.mailbridge.support.FakeHttp;
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

    private static FakeHttp.Request<String> get() {
        return new FakeHttp.Request<>(URI.create("https://app.example/api/connect"), HttpMethod.GET, Map.of(), Optional.empty());
    }

    private static FakeHttp.Request<String> inGerman() {
        return new FakeHttp.Request<>(URI.create("https://app.example/api/connect"), HttpMethod.GET,
                Map.of("Accept-Language", "de-DE,de;q=0.9,en;q=0.8"), Optional.empty());
    }

    private static String body(Object response) {
        return ((FakeHttp.Response) response).body();
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
        FakeHttp.Response response = (FakeHttp.Response) PAGES.connected(get(),
                new ConnectService.Finished.Connected(URI.create(RETURN + "&status=connected"), connection(SyncMode.ONE_WAY)));

        assertEquals(200, response.getStatusCode());
        assertTrue(response.body().contains("<dd id=\"connected-aliases\">sales@contoso.example</dd>"), response.body());
        assertTrue(response.body().contains("value=\"bcc-x@bcc.example\""), response.body());
        assertTrue(response.body().contains("id=\"copy-bcc\" hidden"), "the button shows only where its script runs");
        assertTrue(response.headers().get("Content-Security-Policy").contains("script-src 'sha256-"));
        assertFalse(response.body().contains("http-equiv=\"refresh\""));
        assertTrue(response.body().contains("&amp;status=connected\">Back to the CRM</a>"), response.body());
    }

    @Test
    void theConnectedPageFor2WayHasNoBccAddressAndNoScript() {
        FakeHttp.Response response = (FakeHttp.Response) PAGES.connected(get(),
                new ConnectService.Finished.Connected(RETURN, connection(SyncMode.TWO_WAY)));

        assertTrue(response.body().contains("<dd id=\"connected-mode\">2-way sync</dd>"), response.body());
        assertFalse(response.body().contains("bcc-address"));
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
        FakeHttp.Response english = (FakeHttp.Response) PAGES.choice(get(), ADELE, Profile.FULL, "the-link", Optional.empty());
        FakeHttp.Response german = (FakeHttp.Response) PAGES.choice(inGerman(), ADELE, Profile.FULL, "the-link", Optional.empty());

        assertTrue(english.body().contains("<html lang=\"en\">"), english.body());
        assertEquals("en", english.headers().get("Content-Language"));
        assertTrue(german.body().contains("<html lang=\"de\">"), german.body());
        assertEquals("de", german.headers().get("Content-Language"));
        assertTrue(german.body().contains("<title>Microsoft 365-Postfach verbinden</title>"), german.body());
        assertTrue(german.body().contains("Nur E-Mails zwischen Ihnen und Ihren Interessenten werden synchronisiert"), german.body());
        assertTrue(german.body().contains("<span>Mit Microsoft anmelden</span>"), german.body());
        assertTrue(german.body().contains(">Zurück zum CRM</a>"), german.body());
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
        FakeHttp.Response page = (FakeHttp.Response) branded.refusal(get(), Refusal.usedLink());

        assertTrue(page.body().contains("<img src=\"https://cdn.contoso.example/logo.svg\" alt=\"\" height=\"32\"> <span>Contoso CRM</span>"),
                page.body());
        assertTrue(page.headers().get("Content-Security-Policy").contains(" img-src https://cdn.contoso.example;"),
                page.headers().get("Content-Security-Policy"));
        assertFalse(((FakeHttp.Response) PAGES.refusal(get(), Refusal.usedLink())).headers().get("Content-Security-Policy").contains("img-src"));
    }
}
