package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnUrlsTest {
    private final ReturnUrls urls = new ReturnUrls(List.of(URI.create("https://crm.example.com"), URI.create("http://localhost:7080")));

    @ParameterizedTest
    @ValueSource(strings = {"https://crm.example.com/profile?tab=email", "https://CRM.example.com:443/x", "http://localhost:7080/return#done"})
    void allowsPagesOfTheConfiguredOrigins(String url) {
        assertTrue(urls.isAllowed(URI.create(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://crm.example.com.evil.test/", "http://crm.example.com/", "https://crm.example.com:8443/",
            "https://user@crm.example.com/", "//crm.example.com/x", "/relative", "javascript:alert(1)", "http://localhost:7081/"})
    void refusesEverythingElse(String url) {
        assertFalse(urls.isAllowed(URI.create(url)));
    }
}
