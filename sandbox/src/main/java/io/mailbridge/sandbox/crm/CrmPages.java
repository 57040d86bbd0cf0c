package io.mailbridge.sandbox.crm;

import static io.mailbridge.html.HtmlEscaping.escape;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.sandbox.http.Html;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The CRM's pages for people: what it received per user, in the sandbox's page frame. Every value shown is escaped. */
final class CrmPages {
    /** Where events carry their participants; Graph's recipient shape and plain strings both read. */
    private static final List<String> PARTICIPANT_FIELDS = List.of("from", "to", "cc", "bcc", "participants");

    private CrmPages() {}

    static String userPage(String accountId, String userId, List<CrmEvent> events) {
        StringBuilder html = new StringBuilder()
                .append("<h1>What the CRM received for ").append(escape(userId)).append("</h1>\n")
                .append("<p>CRM account ").append(escape(accountId)).append(" &middot; ").append(events.size())
                .append(" event(s) &middot; <a href=\"/\">all users</a></p>\n");
        if (events.isEmpty()) {
            html.append("<p>Nothing received yet.</p>\n");
        } else {
            html.append("<table>\n<caption>Events, in the order they arrived</caption>\n")
                    .append("<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Type</th>")
                    .append("<th scope=\"col\">Subject</th><th scope=\"col\">Participants</th></tr></thead>\n<tbody>\n");
            for (CrmEvent event : events) {
                html.append("<tr><td><time datetime=\"").append(escape(event.occurredAt().toString())).append("\">")
                        .append(escape(event.occurredAt().toString())).append("</time></td><td>")
                        .append(escape(event.type())).append("</td><td>")
                        .append(escape(event.data().path("subject").asText(""))).append("</td><td>")
                        .append(participants(event.data())).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        return Html.page("CRM: " + userId + " in " + accountId, html.toString());
    }

    /** Links to every user's page, and each account's prospect list. */
    static String index(Map<String, Map<String, Integer>> eventCounts, Map<String, Integer> prospectCounts) {
        StringBuilder html = new StringBuilder("<h1>CRM stand-in</h1>\n<h2>Users with events</h2>\n");
        if (eventCounts.isEmpty()) {
            html.append("<p>No events yet.</p>\n");
        } else {
            html.append("<ul>\n");
            eventCounts.forEach((account, users) -> users.forEach((user, count) ->
                    html.append("<li><a href=\"").append(escape(userPath(account, user))).append("\">")
                            .append(escape(user)).append(" in ").append(escape(account)).append("</a>: ")
                            .append(count).append(" event(s)</li>\n")));
            html.append("</ul>\n");
        }
        html.append("<h2>Prospect lists</h2>\n");
        if (prospectCounts.isEmpty()) {
            html.append("<p>No prospects yet.</p>\n");
        } else {
            html.append("<ul>\n");
            prospectCounts.forEach((account, count) ->
                    html.append("<li><a href=\"").append(escape(prospectsPath(account))).append("\">")
                            .append(escape(account)).append("</a>: ").append(count).append(" prospect(s)</li>\n"));
            html.append("</ul>\n");
        }
        return Html.page("CRM stand-in", html.toString());
    }

    static String userPath(String accountId, String userId) {
        return "/accounts/" + segment(accountId) + "/users/" + segment(userId);
    }

    static String prospectsPath(String accountId) {
        return "/accounts/" + segment(accountId) + "/prospects";
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String participants(JsonNode data) {
        List<String> lines = new ArrayList<>();
        for (String field : PARTICIPANT_FIELDS) {
            JsonNode value = data.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                String label = Character.toUpperCase(field.charAt(0)) + field.substring(1);
                lines.add(escape(label + ": " + describe(value)));
            }
        }
        return String.join("<br>", lines);
    }

    /** A person as {@code Name <address>}, from a string, {name, address} or Graph's {emailAddress: {...}}. */
    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false).map(CrmPages::describe).collect(Collectors.joining(", "));
        }
        if (!node.isObject()) {
            return node.asText();
        }
        if (node.path("emailAddress").isObject()) {
            return describe(node.get("emailAddress"));
        }
        String name = node.path("name").asText("");
        String address = node.path("address").asText(node.path("email").asText(""));
        if (name.isEmpty() || address.isEmpty()) {
            return name.isEmpty() && address.isEmpty() ? node.toString() : name + address;
        }
        return name + " <" + address + ">";
    }
}
