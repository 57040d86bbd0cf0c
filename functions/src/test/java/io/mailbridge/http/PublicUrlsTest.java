package io.mailbridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {
    @Test
    void aRouteIsUnderApiWithOrWithoutTheBaseUrlsTrailingSlash() {
        assertEquals(URI.create("https://mailbridge-eu.example/api/graph/notifications"),
                PublicUrls.route(URI.create("https://mailbridge-eu.example"), "graph/notifications"));
        assertEquals(URI.create("https://mailbridge-eu.example/api/graph/notifications"),
                PublicUrls.route(URI.create("https://mailbridge-eu.example/"), "graph/notifications"));
        assertEquals(URI.create("http://localhost:7071/api/connect/callback"),
                PublicUrls.route(URI.create("http://localhost:7071"), "connect/callback"));
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() {
        assertEquals(URI.create("https://gateway.example/stamps/eu/api/connect/adminconsent"),
                PublicUrls.route(URI.create("https://gateway.example/stamps/eu/"), "connect/adminconsent"));
        assertEquals(URI.create("https://gateway.example/stamps/eu/api/connect/adminconsent"),
                PublicUrls.route(URI.create("https://gateway.example/stamps/eu"), "connect/adminconsent"));
    }
}
