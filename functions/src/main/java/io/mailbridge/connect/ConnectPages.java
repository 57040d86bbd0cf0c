package io.mailbridge.connect;

import static io.mailbridge.html.HtmlEscaping.escape;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.config.Settings;
import io.mailbridge.http.Html;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The pages a person sees while connecting a mailbox, under the product's brand and in the language the
 * browser asks for (see {@link PageTexts}); they work without JavaScript. Pages that explain a problem
 * stay until the person acts, and every page that knows the CRM's return address links back to it.
 */
public final class ConnectPages {
    /**
     * Microsoft's "Sign in with Microsoft" button, light theme, as the identity platform's branding guidelines
     * describe: the four-square logo inline (no fetch), Segoe UI 15px, white with a #8C8C8C border and #5E5E5E text.
     */
    private static final String MICROSOFT_LOGO = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"21\" height=\"21\""
            + " viewBox=\"0 0 21 21\" aria-hidden=\"true\" focusable=\"false\"><rect x=\"1\" y=\"1\" width=\"9\" height=\"9\" fill=\"#f25022\"/>"
            + "<rect x=\"11\" y=\"1\" width=\"9\" height=\"9\" fill=\"#7fba00\"/><rect x=\"1\" y=\"11\" width=\"9\" height=\"9\""
            + " fill=\"#00a4ef\"/><rect x=\"11\" y=\"11\" width=\"9\" height=\"9\" fill=\"#ffb900\"/></svg>";
    private static final String SIGN_IN_STYLE = "button.ms-sign-in{display:inline-flex;align-items:center;gap:12px;height:41px;"
            + "padding:0 12px;background:#fff;border:1px solid #8c8c8c;border-radius:0;color:#5e5e5e;"
            + "font-family:\"Segoe UI\",system-ui,sans-serif;font-size:15px;font-weight:600}";

    private final Settings.Brand brand;

    public ConnectPages(Settings.Brand brand) {
        this.brand = brand;
    }

    /**
     * The choice between 2-way and 1-way sync, then Microsoft's sign-in. For a user already connected it says
     * so first: signing in again reconnects, with the mode chosen here.
     */
    public HttpResponseMessage choice(HttpRequestMessage<?> request, ConnectRequest connect, Profile profile, String link,
            Optional<MailboxConnection> existing) {
        PageTexts t = PageTexts.of(request.getHeaders());
        boolean twoWay = existing.map(c -> c.mode() == SyncMode.TWO_WAY).orElse(true);
        String body = existing.map(connection -> alreadyConnected(t, connection)).orElse("")
                + "<p>" + t.html("choice.intro", "<strong>" + escape(connect.userEmail()) + "</strong>") + "</p>"
                + "<form method=\"post\" action=\"connect/start\">"
                + "<input type=\"hidden\" name=\"request\" value=\"" + escape(link) + "\">"
                + "<fieldset><legend>" + t.html("choice.legend") + "</legend>"
                + choice("TWO_WAY", "two-way", t.text("choice.twoWay.label"), twoWay, t.text("choice.twoWay.hint"))
                + choice("ONE_WAY", "one-way", t.text("choice.oneWay.label"), !twoWay, t.text("choice.oneWay.hint"))
                + "</fieldset>"
                + "<p>" + t.html("choice.next." + profile.name()) + "</p>"
                + "<p class=\"hint\" id=\"admin-approval-hint\">" + t.html("choice.adminHint",
                        "<strong>" + t.html("microsoft.needAdminApproval") + "</strong>", "<em>" + t.html("microsoft.returnWithoutConsent") + "</em>")
                + "</p>"
                + "<button type=\"submit\" class=\"ms-sign-in\">" + MICROSOFT_LOGO + "<span>" + t.html("page.signIn") + "</span></button>"
                + "</form>" + backToCrm(t, connect.returnUrl());
        // Pages default to no-referrer, under which Chromium posts forms with "Origin: null"; this page's
        // own form must say where it comes from, and the link in its URL must still go nowhere else.
        return page(request, t, HttpStatus.OK, t.text("choice.title"), body,
                "<meta name=\"referrer\" content=\"same-origin\"><style>" + SIGN_IN_STYLE + "</style>", "");
    }

    private static String alreadyConnected(PageTexts t, MailboxConnection connection) {
        // A connection that stopped syncing (NEEDS_REAUTH, FAILED) is there but not working: say so.
        String key = connection.state() == ConnectionState.ACTIVE ? "choice.alreadyConnected" : "choice.connectedButStopped";
        return "<div class=\"notice\" id=\"already-connected\" role=\"status\"><p>" + t.html(key,
                "<strong>" + escape(connection.mailboxAddress()) + "</strong>", escape(t.text("mode." + connection.mode().name())))
                + "</p><p>" + t.html("choice.alreadyConnected.next") + "</p></div>";
    }

    private static String choice(String value, String id, String label, boolean checked, String hint) {
        return "<div class=\"choice\"><input type=\"radio\" name=\"mode\" id=\"mode-" + id + "\" value=\"" + value + "\""
                + (checked ? " checked" : "") + " aria-describedby=\"hint-" + id + "\"> <label for=\"mode-" + id + "\">" + escape(label)
                + "</label><p class=\"hint\" id=\"hint-" + id + "\">" + escape(hint) + "</p></div>";
    }

    /**
     * Connected: the mailbox, the mode, the addresses found and, for 1-way, the BCC address to copy with how to use it.
     * It stays, with the way back to the CRM: for 1-way the person needs the address before leaving.
     */
    public HttpResponseMessage connected(HttpRequestMessage<?> request, ConnectService.Finished.Connected connected) {
        PageTexts t = PageTexts.of(request.getHeaders());
        MailboxConnection connection = connected.connection();
        List<String> aliases = connection.aliases().stream().filter(a -> !a.equalsIgnoreCase(connection.mailboxAddress())).toList();
        boolean oneWay = connection.mode() == SyncMode.ONE_WAY;
        String body = "<p>" + t.html("connected.intro") + "</p><dl>"
                + "<dt>" + t.html("connected.mailbox") + "</dt><dd id=\"connected-mailbox\">" + escape(connection.mailboxAddress()) + "</dd>"
                + "<dt>" + t.html("connected.mode") + "</dt><dd id=\"connected-mode\">" + t.html("mode." + connection.mode().name()) + "</dd>"
                + "<dt>" + t.html("connected.aliases") + "</dt><dd id=\"connected-aliases\">"
                + (aliases.isEmpty() ? t.html("connected.aliases.none") : escape(String.join(", ", aliases))) + "</dd></dl>"
                + (oneWay ? bccInstructions(t, connection.bccAddress()) : "<p>" + t.html("connected.twoWay") + "</p>")
                + backToCrm(t, connected.returnUrl());
        return page(request, t, HttpStatus.OK, t.text("connected.title"), body, "",
                oneWay ? copyScript("bcc-address", "copy-bcc", "bcc-copy-status", t.text("connected.bcc.copied")) : "");
    }

    private static String bccInstructions(PageTexts t, String bccAddress) {
        return "<p><label for=\"bcc-address\">" + t.html("connected.bcc.label") + "</label><br>"
                + "<input id=\"bcc-address\" type=\"text\" readonly size=\"40\" value=\"" + escape(bccAddress) + "\"> "
                + "<button type=\"button\" id=\"copy-bcc\" hidden>" + t.html("connected.bcc.copy") + "</button>"
                + " <span id=\"bcc-copy-status\" role=\"status\"></span></p>"
                + "<p id=\"bcc-how-to\">" + t.html("connected.bcc.send") + "<br>" + t.html("connected.bcc.forward") + "</p>";
    }

    /** Why the user cannot go on; nothing was stored. */
    public HttpResponseMessage refusal(HttpRequestMessage<?> request, Refusal refusal) {
        PageTexts t = PageTexts.of(request.getHeaders());
        String wayBack = refusal.wayBack().map(url -> backToCrm(t, url)).orElse("");
        return page(request, t, HttpStatus.valueOf(refusal.status()), refusal.title(t), explanation(t, refusal) + wayBack, "", "");
    }

    /** The person signed in with a mailbox that is not their CRM user's: name both, offer another sign-in. Stays until they act. */
    public HttpResponseMessage wrongMailbox(HttpRequestMessage<?> request, ConnectService.Finished.WrongMailbox wrong) {
        PageTexts t = PageTexts.of(request.getHeaders());
        String body = "<div class=\"problem\" role=\"alert\"><p>" + t.html("wrongMailbox.signedIn",
                "<strong id=\"signed-in-address\">" + escape(wrong.signedInAddress()) + "</strong>",
                "<strong id=\"crm-address\">" + escape(wrong.crmEmail()) + "</strong>") + "</p></div>"
                + "<p>" + t.html("wrongMailbox.advice", escape(wrong.crmEmail())) + "</p>"
                + "<p><a class=\"button\" id=\"sign-in-again\" href=\"" + escape(wrong.retryUrl().toString()) + "\">"
                + t.html("wrongMailbox.again") + "</a></p>" + backToCrm(t, wrong.returnUrl());
        return page(request, t, HttpStatus.FORBIDDEN, t.text("wrongMailbox.title"), body, "", "");
    }

    /**
     * The sign-in ended without a connection: explain, with a way back to the CRM carrying the error code.
     * The page stays until the person acts: the advice (ask an administrator, assign a licence) is what they need.
     */
    public HttpResponseMessage notConnected(HttpRequestMessage<?> request, Refusal refusal, URI returnUrl) {
        return refusal(request, refusal.backTo(returnUrl));
    }

    /**
     * The sign-in stopped, most likely at Microsoft's "Need admin approval": what to do, and the admin
     * consent link ready to send, selectable without JavaScript and with a copy button where it runs.
     */
    public HttpResponseMessage needsAdminApproval(HttpRequestMessage<?> request, ConnectService.Finished.NeedsAdminApproval approval) {
        PageTexts t = PageTexts.of(request.getHeaders());
        String body = "<div class=\"problem\" role=\"alert\"><p>" + t.html("approval.problem") + "</p></div>"
                + "<p>" + t.html("approval.explain", "<strong>" + t.html("microsoft.needAdminApproval") + "</strong>") + "</p>"
                + "<p><label for=\"admin-consent-link\">" + t.html("approval.label") + "</label><br>"
                + "<input id=\"admin-consent-link\" type=\"text\" readonly size=\"60\" value=\"" + escape(approval.adminConsentUrl().toString())
                + "\"> <button type=\"button\" id=\"copy-link\" hidden>" + t.html("approval.copy") + "</button>"
                + " <span id=\"copy-status\" role=\"status\"></span></p>"
                + "<p>" + t.html("approval.after") + "</p>"
                + backToCrm(t, approval.returnUrl());
        return page(request, t, HttpStatus.OK, t.text("approval.title"), body, "",
                copyScript("admin-consent-link", "copy-link", "copy-status", t.text("approval.copied")));
    }

    /** The administrator's return from Microsoft's admin consent. */
    public HttpResponseMessage adminConsent(HttpRequestMessage<?> request, AdminConsent.Outcome outcome) {
        return switch (outcome) {
            case AdminConsent.Outcome.Granted(String userEmail, String tenantId) -> {
                PageTexts t = PageTexts.of(request.getHeaders());
                String who = userEmail == null ? t.html("adminConsent.someone") : escape(userEmail);
                String body = "<p id=\"admin-consent-granted\">" + t.html("adminConsent.approved", "<code>" + escape(tenantId) + "</code>")
                        + "</p><p>" + t.html("adminConsent.tell", "<strong>" + who + "</strong>") + "</p>";
                yield page(request, t, HttpStatus.OK, t.text("adminConsent.title"), body, "", "");
            }
            case AdminConsent.Outcome.NotGranted(String userEmail, String description) ->
                    refusal(request, Refusal.adminConsentNotGranted(description));
            case AdminConsent.Outcome.Unknown unknown -> refusal(request, Refusal.unknownAdminConsent());
        };
    }

    /** To Microsoft's sign-in, setting the cookie the callback will ask for. */
    public HttpResponseMessage redirect(HttpRequestMessage<?> request, URI target, String setCookie) {
        return request.createResponseBuilder(HttpStatus.FOUND)
                .header("Location", target.toString())
                .header("Set-Cookie", setCookie)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private HttpResponseMessage page(HttpRequestMessage<?> request, PageTexts t, HttpStatus status, String title, String body,
            String extraHead, String script) {
        return Html.page(request, status, t.locale(), brand, title, body, extraHead, script);
    }

    /** Shows the hidden copy button and copies the read-only field's value; the page works without it. */
    private static String copyScript(String fieldId, String buttonId, String statusId, String copied) {
        String message = copied.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c");
        return "(function(){var b=document.getElementById('" + buttonId + "'),f=document.getElementById('" + fieldId + "'),"
                + "s=document.getElementById('" + statusId + "');b.hidden=false;b.addEventListener('click',function(){f.select();"
                + "var done=function(){s.textContent='" + message + "';};if(navigator.clipboard){navigator.clipboard.writeText(f.value).then(done,"
                + "function(){document.execCommand('copy');done();});}else{document.execCommand('copy');done();}});})();";
    }

    private static String backToCrm(PageTexts t, URI returnUrl) {
        return "<p><a class=\"button\" href=\"" + escape(returnUrl.toString()) + "\">" + t.html("page.back") + "</a></p>";
    }

    private static String explanation(PageTexts t, Refusal refusal) {
        return "<div class=\"problem\" role=\"alert\"><p>" + escape(refusal.message(t)) + "</p></div><p>" + escape(refusal.advice(t)) + "</p>";
    }
}
