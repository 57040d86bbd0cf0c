package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PageTextsTest {

    @Test
    void englishWithoutAHeaderOrForLanguagesNotShipped() {
        assertEquals(Locale.ENGLISH, PageTexts.choose(null));
        assertEquals(Locale.ENGLISH, PageTexts.choose(""));
        assertEquals(Locale.ENGLISH, PageTexts.choose("fr-FR,fr;q=0.9"));
        assertEquals(Locale.ENGLISH, PageTexts.choose("*"));
        assertEquals(Locale.ENGLISH, PageTexts.choose("garbage;;q=x"));
    }

    @Test
    void theShippedLanguageWithTheHighestQualityWins() {
        assertEquals(Locale.GERMAN, PageTexts.choose("de-DE,de;q=0.9,en;q=0.8"));
        assertEquals(Locale.GERMAN, PageTexts.choose("de-AT"));
        assertEquals(Locale.GERMAN, PageTexts.choose("fr;q=1, en;q=0.5, de;q=0.7"), "French is not shipped; German beats English");
        assertEquals(Locale.ENGLISH, PageTexts.choose("de;q=0.4, en-GB;q=0.6"));
        assertEquals(Locale.ENGLISH, PageTexts.choose("en, de"), "equal quality: the first listed");
        assertEquals(Locale.ENGLISH, PageTexts.choose("de;q=0, en;q=0.1"), "q=0 means not this one");
        assertEquals(Locale.GERMAN, PageTexts.choose("DE-ch ; Q=0.8"));
    }

    @Test
    void headersAreReadAsTheHostHandsThemOver() {
        assertEquals(Locale.GERMAN, PageTexts.of(Map.of("accept-language", "de")).locale());
        assertEquals(Locale.GERMAN, PageTexts.of(Map.of("Accept-Language", "de-AT")).locale(), "header names are case-insensitive");
        assertEquals("Zurück zum CRM", PageTexts.of(Map.of("accept-language", "de")).text("page.back"));
        assertEquals("Back to the CRM", PageTexts.of(Map.of()).text("page.back"));
    }

    @Test
    void valuesAreEscapedTextIsNot() {
        PageTexts english = PageTexts.of(Map.of());
        assertEquals("You don&#39;t have permission to connect your email to the CRM", english.html("refusal.missingRole.message"));
        assertEquals("You are connecting the Microsoft 365 mailbox of <b>x</b> to the CRM.", english.html("choice.intro", "<b>x</b>"));
    }

    @Test
    void everyTextExistsInEveryShippedLanguage() throws IOException {
        Properties english = load("pages.properties");
        Properties german = load("pages_de.properties");
        assertEquals(english.stringPropertyNames(), german.stringPropertyNames());
        for (String key : english.stringPropertyNames()) {
            for (String placeholder : new String[] {"{0}", "{1}"}) {
                assertEquals(english.getProperty(key).contains(placeholder), german.getProperty(key).contains(placeholder),
                        key + " uses " + placeholder + " in one language only");
            }
            assertTrue(!german.getProperty(key).isBlank(), key);
        }
    }

    private static Properties load(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = PageTextsTest.class.getResourceAsStream(name);
                var reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
