package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Entra's redirect URI rule: exact, except the port of an http loopback address. */
class AppRegistrationTest {
    private static final AppRegistration APP = new AppRegistration("id", "secret", "App",
            List.of("http://localhost/api/connect/callback", "https://app.example.com/api/connect/callback"), Set.of());

    @Test
    void httpLoopbackMatchesAtAnyPortButNothingElseLoosely() {
        assertTrue(APP.allowsRedirect("http://localhost:7071/api/connect/callback", List.of()));
        assertTrue(APP.allowsRedirect("http://localhost/api/connect/callback", List.of()));
        assertTrue(APP.allowsRedirect("http://LOCALHOST:1/api/connect/callback", List.of()));
        assertFalse(APP.allowsRedirect("http://127.0.0.1:7071/api/connect/callback", List.of()), "registered as localhost");
        assertFalse(APP.allowsRedirect("http://localhost:7071/api/connect/callback?x=1", List.of()));
        assertFalse(APP.allowsRedirect("http://localhost:7071/API/connect/callback", List.of()), "the path is case-sensitive");
        assertFalse(APP.allowsRedirect("https://localhost:7071/api/connect/callback", List.of()), "only http loopback ignores the port");
    }

    @Test
    void otherAddressesMatchExactly() {
        assertTrue(APP.allowsRedirect("https://app.example.com/api/connect/callback", List.of()));
        assertFalse(APP.allowsRedirect("https://app.example.com:443/api/connect/callback", List.of()));
        assertFalse(APP.allowsRedirect("https://app.example.com/api/connect/callback/", List.of()));
        assertFalse(APP.allowsRedirect("https://evil.example/api/connect/callback", List.of()));
        assertTrue(APP.allowsRedirect("https://localhost:7443/api/connect/callback", List.of("https://localhost:7443/api/connect/callback")),
                "registered at run time");
        assertFalse(APP.allowsRedirect("not a uri at all", List.of()));
    }
}
