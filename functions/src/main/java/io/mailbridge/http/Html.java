package io.mailbridge.http;

import static io.mailbridge.html.HtmlEscaping.escape;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.Sha256;
import io.mailbridge.config.Settings;
import java.util.Base64;
import java.util.Locale;

/** Pages people read: one plain, accessible layout (what it echoes is escaped with {@code HtmlEscaping}). */
public final class Html {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:38rem;margin:3rem auto;\
            padding:0 1rem;line-height:1.5;color:#1b1b1b;overflow-wrap:anywhere}\
            h1{font-size:1.5rem}fieldset{border:1px solid #8a8886;border-radius:6px;padding:1rem;margin:1rem 0}\
            legend{font-weight:600;padding:0 .25rem}.choice{margin:.5rem 0}.hint{color:#484644;margin:.1rem 0 0 1.6rem}\
            button,.button{font:inherit;background:#0f6cbd;color:#fff;border:0;border-radius:4px;padding:.5rem 1.25rem;\
            text-decoration:none;display:inline-block}button:focus,a:focus,input:focus{outline:3px solid #000;outline-offset:2px}\
            .problem{border-left:4px solid #c50f1f;padding-left:1rem}\
            input[type=text]{font:inherit;max-width:100%;box-sizing:border-box}""";

    private Html() {}

    /**
     * A complete page in {@code language}, under the product's name and logo, with at most one inline script
     * that only enhances it (the page works without it); the policy allows exactly that script, by its hash,
     * and images only from the logo's origin. {@code bodyHtml} must already be escaped where it echoes input.
     */
    public static HttpResponseMessage page(HttpRequestMessage<?> request, HttpStatus status, Locale language, Settings.Brand brand,
            String title, String bodyHtml, String extraHead, String script) {
        String logo = brand.logoUrl().map(url -> "<img src=\"" + escape(url.toString()) + "\" alt=\"\" height=\"32\"> ").orElse("");
        String html = "<!DOCTYPE html>\n<html lang=\"" + language.toLanguageTag() + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title><style>" + STYLE + "</style>" + extraHead + "</head>"
                + "<body><header id=\"brand\">" + logo + "<span>" + escape(brand.name()) + "</span></header>"
                + "<main><h1>" + escape(title) + "</h1>" + bodyHtml + "</main>"
                + (script.isEmpty() ? "" : "<script>" + script + "</script>") + "</body></html>";
        String scripts = script.isEmpty() ? "" : " script-src '" + sha256(script) + "';";
        String images = brand.logoUrl().map(url -> " img-src " + url.getScheme() + "://" + url.getRawAuthority() + ";").orElse("");
        return request.createResponseBuilder(status)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Language", language.toLanguageTag())
                .header("Vary", "Accept-Language")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline';" + scripts + images
                        + " frame-ancestors 'none'")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .body(html)
                .build();
    }

    private static String sha256(String script) {
        return "sha256-" + Base64.getEncoder().encodeToString(Sha256.of(script));
    }
}
