package io.mailbridge.connect;

import io.mailbridge.html.HtmlEscaping;
import io.mailbridge.http.Headers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The connect pages' words in the person's language: English or German, chosen by the browser's
 * Accept-Language (RFC 9110: the highest q-value wins, q=0 means "not this one"), English otherwise.
 * The texts live in pages.properties and pages_de.properties; {0}, {1} mark where values go.
 */
public final class PageTexts {
    static final List<Locale> SHIPPED = List.of(Locale.ENGLISH, Locale.GERMAN);
    private static final String BUNDLE = "io.mailbridge.connect.pages";

    private final Locale locale;
    private final ResourceBundle bundle;

    private PageTexts(Locale locale) {
        this.locale = locale;
        // No fallback to the JVM's default locale: a German server must still answer English by default.
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static PageTexts of(Map<String, String> headers) {
        return new PageTexts(choose(Headers.value(headers, "Accept-Language").orElse(null)));
    }

    /** The shipped language the header prefers most; ties go to the earlier entry, as browsers list them in order. */
    static Locale choose(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        record Wanted(String tag, double q, int position) {}
        List<Wanted> wanted = new ArrayList<>();
        String[] ranges = acceptLanguage.split(",");
        for (int i = 0; i < ranges.length && i < 32; i++) {
            String[] parts = ranges[i].trim().split(";");
            double q = 1.0;
            for (int p = 1; p < parts.length; p++) {
                String parameter = parts[p].trim();
                if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            wanted.add(new Wanted(parts[0].trim().toLowerCase(Locale.ROOT), q, i));
        }
        return wanted.stream().filter(w -> w.q() > 0)
                .sorted(Comparator.comparingDouble(Wanted::q).reversed().thenComparingInt(Wanted::position))
                .map(w -> shipped(w.tag()))
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse(Locale.ENGLISH);
    }

    private static Locale shipped(String tag) {
        String language = tag.split("-")[0];
        return SHIPPED.stream().filter(l -> l.getLanguage().equals(language)).findFirst().orElse(null);
    }

    public Locale locale() {
        return locale;
    }

    /** Plain text, with the values put in. */
    public String text(String key, String... values) {
        String text = bundle.getString(key);
        for (int i = 0; i < values.length; i++) {
            text = text.replace("{" + i + "}", values[i]);
        }
        return text;
    }

    /** The text escaped for HTML, with values that are already HTML (escaped, perhaps marked up) put in. */
    public String html(String key, String... htmlValues) {
        String html = HtmlEscaping.escape(bundle.getString(key));
        for (int i = 0; i < htmlValues.length; i++) {
            html = html.replace("{" + i + "}", htmlValues[i]);
        }
        return html;
    }
}
