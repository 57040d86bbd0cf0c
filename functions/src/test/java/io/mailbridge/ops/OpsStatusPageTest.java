package io.mailbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.HttpMethod;
import io.mailbridge.config.Region;
import io.mailbridge.config.Settings;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpsStatusPageTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private final OpsStatusPage page = new OpsStatusPage(new Settings.Brand("Mailbridge", Optional.empty()));

    private String render(OpsStatus status) {
        FunctionHttpResponse response = (FunctionHttpResponse) page.render(FunctionHttpRequest.of(URI.create("https://app.example/api/ops/status/page"),
                HttpMethod.GET, Map.of(), Optional.empty()), status);
        assertEquals(200, response.getStatusCode());
        assertEquals("text/html; charset=utf-8", response.getHeader("Content-Type"));
        return response.text();
    }

    @Test
    void listsWhatNeedsAttentionBeforeTheTables() {
        String html = render(OpsStatuses.troubled(T0));

        String attention = html.substring(html.indexOf("<section id=\"attention\""), html.indexOf("</section>"));
        for (String item : List.of("1 poison message(s) in crm-events-poison", "The oldest message in crm-events waits for 6 min",
                "2 dead letter(s) wait for replay", "1 Graph subscription(s) expire within a day",
                "Timer housekeeping failed on its last run (java.lang.IllegalStateException)")) {
            assertTrue(attention.contains("<li>" + item), item + " in " + attention);
        }
        assertTrue(html.indexOf("</section>") < html.indexOf("<table"), "attention comes first");
        assertTrue(html.contains("<div class=\"table\" role=\"region\" aria-labelledby=\"timers-caption\" tabindex=\"0\">"
                + "<table id=\"timers\"><caption id=\"timers-caption\">Timers: last run</caption>"), "a table scrolls in a region its caption names");
    }

    @Test
    void showsEachPartAsATableWithACaptionAndHeaders() {
        String html = render(OpsStatuses.troubled(T0));

        assertTrue(html.contains("<caption id=\"connections-caption\">Mailbox connections</caption><thead><tr><th scope=\"col\">State</th><th scope=\"col\">US</th>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">NEEDS_REAUTH</th><td class=\"count\">1</td></tr>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">crm-events</th><td class=\"count\">2</td><td>6 min</td><td class=\"count\">1</td>"
                + "<td>25 h</td></tr>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">inboundSweep</th><td><time datetime=\"2026-12-03T07:59:50Z\">2026-12-03 07:59:50"
                + "</time></td><td></td><td>RUNNING</td></tr>"), html);
        assertTrue(html.contains("<html lang=\"en\">"), html);
    }

    @Test
    void saysSoWhenNothingNeedsAttention() {
        OpsStatus calm = new OpsStatus(Region.EU, T0, new OpsStatus.ConnectionCounts(0, Map.of(), Map.of()),
                new OpsStatus.ExpiringSubscriptions(0, null), List.of(), new OpsStatus.OpenDeadLetters(0, null), List.of());

        String html = render(calm);

        assertTrue(html.contains("<p>Nothing needs attention.</p>"), html);
        assertTrue(html.contains("<th scope=\"col\">EU</th>"), "the stamp's own region shows even without connections");
        assertTrue(html.contains("No timer has run yet."), html);
    }

    @Test
    void durationsReadAtAGlance() {
        assertEquals("119 s", OpsStatusPage.duration(119));
        assertEquals("2 min", OpsStatusPage.duration(120));
        assertEquals("119 min", OpsStatusPage.duration(119 * 60 + 59));
        assertEquals("2 h", OpsStatusPage.duration(7200));
        assertEquals("2 days", OpsStatusPage.duration(48 * 3600));
    }
}
