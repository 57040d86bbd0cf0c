package io.mailbridge.ops;

import static io.mailbridge.html.HtmlEscaping.escape;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.config.Region;
import io.mailbridge.config.Settings;
import io.mailbridge.http.Html;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.ops.OpsStatus.Depth;
import io.mailbridge.ops.OpsStatus.QueueStatus;
import io.mailbridge.storage.TimerRuns;
import io.mailbridge.storage.TimerRuns.TimerRun;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ops status as a page for the person on call: what needs attention first, then a table per part, each
 * with a caption and header cells. English only: it is for operators, not for the CRM's users.
 */
public final class OpsStatusPage {
    /** The age past which a queue's front message means its consumer is stuck (the stamp's alert uses the same). */
    static final Duration STUCK_AFTER = Duration.ofMinutes(5);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /**
     * Words in tables break only between words; a table wider than a phone scrolls inside its own region (WCAG's
     * reflow rule exempts data tables), which takes keyboard focus so it can be scrolled without a mouse.
     */
    private static final String STYLE = "<style>.table{overflow-x:auto;margin:1rem 0 2rem}"
            + "table{border-collapse:collapse;width:100%;overflow-wrap:normal}"
            + "caption{text-align:left;font-weight:600;font-size:1.15rem;padding:.25rem 0}"
            + "th,td{text-align:left;padding:.25rem .75rem .25rem 0;border-bottom:1px solid #8a8886;vertical-align:top}"
            + "td.count{font-variant-numeric:tabular-nums}time{white-space:nowrap}.table:focus{outline:3px solid #000;outline-offset:2px}</style>";

    private static final String TABLE_END = "</table></div>";

    private final Settings.Brand brand;

    public OpsStatusPage(Settings.Brand brand) {
        this.brand = brand;
    }

    public HttpResponseMessage render(HttpRequestMessage<?> request, OpsStatus status) {
        String body = "<p>Region " + escape(status.region().name()) + ", as of " + time(status.takenAt()) + ". Times are UTC.</p>"
                + attention(status) + connections(status) + summary(status) + queues(status) + timers(status);
        return Html.page(request, HttpStatus.OK, Locale.ENGLISH, brand, "Stamp status", body, STYLE, "");
    }

    /** What the stamp's alerts would fire on, in words, before the tables. */
    private static String attention(OpsStatus status) {
        List<String> items = new ArrayList<>();
        for (QueueStatus queue : status.queues()) {
            if (queue.poison().count() > 0) {
                items.add(queue.poison().count() + " poison message(s) in " + queue.poison().queue());
            }
            Long age = queue.messages().oldestAgeSeconds();
            if (age != null && age > STUCK_AFTER.toSeconds()) {
                items.add("The oldest message in " + queue.name() + " waits for " + duration(age));
            }
        }
        if (status.deadLetters().open() > 0) {
            items.add(status.deadLetters().open() + " dead letter(s) wait for replay (GET /api/ops/dead-letters)");
        }
        if (status.subscriptions().expiringWithinADay() > 0) {
            items.add(status.subscriptions().expiringWithinADay() + " Graph subscription(s) expire within a day: renewal is failing");
        }
        for (TimerRun run : status.timers()) {
            if (run.outcome() == TimerRuns.Outcome.FAILED) {
                items.add("Timer " + run.name() + " failed on its last run (" + run.failure() + ")");
            }
        }
        String list = items.isEmpty() ? "<p>Nothing needs attention.</p>"
                : "<ul>" + items.stream().map(item -> "<li>" + escape(item) + "</li>").reduce("", String::concat) + "</ul>";
        return "<section id=\"attention\" aria-labelledby=\"attention-title\"" + (items.isEmpty() ? "" : " class=\"problem\"")
                + "><h2 id=\"attention-title\">Needs attention</h2>" + list + "</section>";
    }

    /** States down, regions across: a stamp has one region, or a few, so the table stays narrow. */
    private static String connections(OpsStatus status) {
        Map<Region, Map<ConnectionState, Long>> counts = status.connectionsByRegionAndState();
        StringBuilder html = new StringBuilder(tableStart("connections", "Mailbox connections") + "<thead><tr>"
                + "<th scope=\"col\">State</th>");
        counts.keySet().forEach(region -> html.append("<th scope=\"col\">").append(escape(region.name())).append("</th>"));
        html.append("</tr></thead><tbody>");
        for (ConnectionState state : ConnectionState.values()) {
            html.append("<tr><th scope=\"row\">").append(state.name()).append("</th>");
            counts.values().forEach(states -> html.append(count(states.get(state))));
            html.append("</tr>");
        }
        return html.append("</tbody>").append(TABLE_END).toString();
    }

    private static String summary(OpsStatus status) {
        return tableStart("summary", "Subscriptions and dead letters") + "<tbody>"
                + "<tr><th scope=\"row\">Graph subscriptions expiring within a day</th>" + count(status.subscriptions().expiringWithinADay())
                + "<td>" + (status.subscriptions().soonestExpiry() == null ? "" : "soonest " + time(status.subscriptions().soonestExpiry()))
                + "</td></tr>"
                + "<tr><th scope=\"row\">Dead letters</th>" + count(status.deadLetters().open())
                + "<td>" + (status.deadLetters().oldestFailedAt() == null ? "" : "oldest failed " + time(status.deadLetters().oldestFailedAt()))
                + "</td></tr></tbody>" + TABLE_END;
    }

    private static String queues(OpsStatus status) {
        StringBuilder html = new StringBuilder(tableStart("queues", "Queues") + "<thead><tr><th scope=\"col\">Queue</th>"
                + "<th scope=\"col\">Messages</th><th scope=\"col\">Oldest waits</th><th scope=\"col\">Poison</th>"
                + "<th scope=\"col\">Oldest poison</th></tr></thead><tbody>");
        for (QueueStatus queue : status.queues()) {
            html.append("<tr><th scope=\"row\">").append(escape(queue.name())).append("</th>").append(count(queue.messages().count()))
                    .append(age(queue.messages())).append(count(queue.poison().count())).append(age(queue.poison())).append("</tr>");
        }
        return html.append("</tbody>").append(TABLE_END).toString();
    }

    private static String timers(OpsStatus status) {
        if (status.timers().isEmpty()) {
            return "<h2>Timers</h2><p>No timer has run yet.</p>";
        }
        StringBuilder html = new StringBuilder(tableStart("timers", "Timers: last run") + "<thead><tr><th scope=\"col\">Timer</th>"
                + "<th scope=\"col\">Started</th><th scope=\"col\">Took</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        for (TimerRun run : status.timers()) {
            html.append("<tr><th scope=\"row\">").append(escape(run.name())).append("</th><td>").append(time(run.startedAt())).append("</td><td>")
                    .append(run.finishedAt() == null ? "" : escape(duration(Duration.between(run.startedAt(), run.finishedAt()).toSeconds())))
                    .append("</td><td>").append(run.outcome().name())
                    .append(run.failure() == null ? "" : ": " + escape(run.failure())).append("</td></tr>");
        }
        return html.append("</tbody>").append(TABLE_END).toString();
    }

    /** A table in its scrolling region, named by the table's caption. */
    private static String tableStart(String id, String caption) {
        return "<div class=\"table\" role=\"region\" aria-labelledby=\"" + id + "-caption\" tabindex=\"0\"><table id=\"" + id
                + "\"><caption id=\"" + id + "-caption\">" + escape(caption) + "</caption>";
    }

    private static String count(Long count) {
        return "<td class=\"count\">" + count + "</td>";
    }

    private static String age(Depth depth) {
        return "<td>" + (depth.oldestAgeSeconds() == null ? "" : escape(duration(depth.oldestAgeSeconds()))) + "</td>";
    }

    private static String time(Instant instant) {
        return "<time datetime=\"" + instant.truncatedTo(ChronoUnit.SECONDS) + "\">" + TIME.format(instant) + "</time>";
    }

    /** Seconds up to two minutes, then minutes, hours and days: what a person reads at a glance. */
    static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 120 * 60) {
            return seconds / 60 + " min";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + " h";
        }
        return seconds / 86_400 + " days";
    }
}
