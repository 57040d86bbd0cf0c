package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrowserBindingTest {
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private final BrowserBinding https = new BrowserBinding(URI.create("https://mail.example.com"), TEN_MINUTES);
    private final BrowserBinding loopback = new BrowserBinding(URI.create("http://localhost:7071"), TEN_MINUTES);

    private static String cookieValue(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    @Test
    void anHttpsStampSetsAHostPrefixedCookieThatMicrosoftsFormPostCarriesBack() {
        String setCookie = https.bind(Map.of()).setCookie();

        assertTrue(setCookie.startsWith("__Host-mailbridge-signin="), setCookie);
        assertTrue(setCookie.endsWith("; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=None"), setCookie);
        assertFalse(setCookie.contains("Domain"), "__Host- cookies must not name a domain");
    }

    @Test
    void theLocalRunOnLoopbackHttpUsesThePlainName() {
        assertTrue(loopback.bind(Map.of()).setCookie().startsWith("mailbridge-signin="));
    }

    @Test
    void onlyTheBrowserHoldingTheCookieMatchesTheStoredHash() {
        BrowserBinding.Binding binding = https.bind(Map.of());
        String value = cookieValue(binding.setCookie());

        assertTrue(https.matches(Map.of("cookie", "other=1; __Host-mailbridge-signin=" + value), binding.hash()));
        assertFalse(https.matches(Map.of(), binding.hash()), "a browser without the cookie");
        assertFalse(https.matches(Map.of("Cookie", "__Host-mailbridge-signin=" + https.bind(Map.of()).hash()), binding.hash()),
                "someone else's cookie");
        assertFalse(https.matches(Map.of("Cookie", "mailbridge-signin=" + value), binding.hash()), "the name without its prefix");
        assertFalse(https.matches(Map.of("Cookie", "__Host-mailbridge-signin=" + binding.hash()), binding.hash()),
                "the stored hash itself is not a key");
    }

    @Test
    void aBrowserThatAlreadyHasACookieKeepsItSoTwoTabsCanSignIn() {
        BrowserBinding.Binding first = https.bind(Map.of());
        Map<String, String> again = Map.of("Cookie", "__Host-mailbridge-signin=" + cookieValue(first.setCookie()));

        assertEquals(first.hash(), https.bind(again).hash());
        assertFalse(first.hash().equals(https.bind(Map.of()).hash()), "a new browser gets a new value");
    }

    @Test
    void aStartPostedFromAnotherSiteIsCrossSite() {
        assertTrue(https.isCrossSite(Map.of("Origin", "https://evil.example")));
        assertTrue(https.isCrossSite(Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://mail.example.com")));
        assertTrue(https.isCrossSite(Map.of("sec-fetch-site", "same-site")), "a sibling subdomain is not our page either");
        assertTrue(https.isCrossSite(Map.of("Origin", "http://mail.example.com")), "scheme counts");

        assertFalse(https.isCrossSite(Map.of("Origin", "https://MAIL.example.com", "Sec-Fetch-Site", "same-origin")));
        assertTrue(https.isCrossSite(Map.of("Origin", "null")), "without Sec-Fetch-Site, an opaque origin is not ours");
        assertFalse(loopback.isCrossSite(Map.of("origin", "http://localhost:7071")));
        assertFalse(https.isCrossSite(Map.of()), "a client that is not a browser sends neither");
    }
}
