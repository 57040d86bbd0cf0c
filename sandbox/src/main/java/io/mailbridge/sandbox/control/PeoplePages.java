package io.mailbridge.sandbox.control;

import static io.mailbridge.html.HtmlEscaping.escape;

import io.mailbridge.sandbox.Sandbox;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import io.mailbridge.sandbox.http.Html;
import io.mailbridge.sandbox.http.Request;
import io.mailbridge.sandbox.http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small HTML pages for people: the sandbox's users and mailboxes, and a form that delivers a mail. */
public final class PeoplePages {
    private final Sandbox sandbox;

    public PeoplePages(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public Response handle(Request request) {
        List<String> path = request.segments().subList(1, request.segments().size());
        if (path.isEmpty() && "GET".equals(request.method())) {
            return Response.html(200, home(request.param("delivered").orElse(null)));
        }
        if (path.equals(List.of("deliver")) && "POST".equals(request.method())) {
            return deliver(request.form());
        }
        if (path.size() == 2 && path.get(0).equals("mailboxes") && "GET".equals(request.method())) {
            Optional<SandboxUser> user = sandbox.directory().user(path.get(1));
            return user.map(found -> Response.html(200, mailbox(found))).orElseGet(() -> Response.html(404, Html.page("Not found", "<p>No such mailbox.</p>")));
        }
        return Response.html(404, Html.page("Not found", "<p>No such page.</p>"));
    }

    private String home(String delivered) {
        StringBuilder users = new StringBuilder("<table>\n<caption>Sandbox users</caption>\n<tr><th scope=\"col\">Name</th><th scope=\"col\">Sign-in name</th><th scope=\"col\">Addresses</th><th scope=\"col\">Tenant</th><th scope=\"col\">Mailbox</th></tr>\n");
        for (SandboxUser user : sandbox.users()) {
            String tenant = sandbox.directory().tenant(user.tenantId()).map(t -> t.displayName() + " (" + t.region() + ")").orElse(user.tenantId());
            users.append("<tr><td>").append(escape(user.displayName())).append("</td><td>").append(escape(user.userPrincipalName()))
                    .append("</td><td>").append(escape(String.join(", ", user.addresses()))).append("</td><td>").append(escape(tenant))
                    .append("</td><td>").append(user.mailboxEnabled()
                            ? "<a href=\"/pages/mailboxes/" + escape(user.id()) + "\">open</a>" : "not enabled for REST")
                    .append("</td></tr>\n");
        }
        users.append("</table>\n");
        String notice = delivered == null ? "" : "<p role=\"status\">Delivered to " + escape(delivered) + " mailbox(es).</p>\n";
        String body = """
                <h1>Mailbridge Microsoft 365 sandbox</h1>
                %s%s
                <h2>Deliver a mail</h2>
                <form method="post" action="/pages/deliver">
                <label for="from">From</label><input id="from" name="from" type="email" required value="prospect@example.org">
                <label for="to">To (comma-separated)</label><input id="to" name="to" required value="%s">
                <label for="subject">Subject</label><input id="subject" name="subject" required>
                <label for="body">Body</label><textarea id="body" name="body" rows="5" cols="60"></textarea>
                <p><button type="submit">Deliver</button></p>
                </form>
                <p class="note">Graph: %s &middot; control API: %s</p>
                """.formatted(notice, users, escape(sandbox.users().get(0).mail()), escape(sandbox.graphBaseUrl()), escape(sandbox.controlUrl()));
        return Html.page("Microsoft 365 sandbox", body);
    }

    private Response deliver(Map<String, String> form) {
        List<String> to = Arrays.stream(form.getOrDefault("to", "").split(",")).map(String::trim).filter(address -> !address.isEmpty()).toList();
        String from = form.getOrDefault("from", "").trim();
        if (to.isEmpty() || from.isEmpty()) {
            return Response.html(400, Html.page("Missing fields", "<p role=\"alert\">From and To are required.</p><p><a href=\"/pages\">Back</a></p>"));
        }
        List<MailMessage> stored = sandbox.exchange().deliver(NewMessage.simple(from, to, form.getOrDefault("subject", ""), form.getOrDefault("body", "")));
        return Response.redirect("/pages?delivered=" + URLEncoder.encode(Integer.toString(stored.size()), StandardCharsets.UTF_8));
    }

    private String mailbox(SandboxUser user) {
        StringBuilder body = new StringBuilder("<h1>Mailbox of " + escape(user.displayName()) + "</h1>\n<p><a href=\"/pages\">All users</a></p>\n");
        for (WellKnownFolder folder : WellKnownFolder.values()) {
            List<MailMessage> messages = sandbox.exchange().mailbox(user.id()).list(folder);
            body.append("<table>\n<caption>").append(escape(folder.displayName())).append(" (").append(messages.size()).append(")</caption>\n")
                    .append("<tr><th scope=\"col\">Received</th><th scope=\"col\">From</th><th scope=\"col\">Subject</th><th scope=\"col\">Draft</th></tr>\n");
            for (MailMessage message : messages) {
                body.append("<tr><td>").append(escape(String.valueOf(message.receivedDateTime()))).append("</td><td>")
                        .append(escape(message.from() == null ? "" : message.from().address())).append("</td><td>").append(escape(message.subject()))
                        .append("</td><td>").append(message.isDraft() ? "yes" : "no").append("</td></tr>\n");
            }
            body.append("</table>\n");
        }
        return Html.page("Mailbox of " + user.displayName(), body.toString());
    }
}
