package io.mailbridge.connect;

import static io.mailbridge.http.Html.escape;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.http.Html;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The pages a person sees while connecting a mailbox; they work without JavaScript. */
public final class ConnectPages {
    private ConnectPages() {}

    /**
     * The choice between 2-way and 1-way sync, then Microsoft's sign-in. For a user already connected it says
     * so first: signing in again reconnects, with the mode chosen here.
     */
    public static HttpResponseMessage choice(HttpRequestMessage<?> request, ConnectRequest connect, Profile profile, String link,
            Optional<MailboxConnection> existing) {
        String permissions = profile == Profile.FULL ? "read, organise and send mail for you" : "read your mail";
        boolean twoWay = existing.map(c -> c.mode() == SyncMode.TWO_WAY).orElse(true);
        String body = existing.map(ConnectPages::alreadyConnected).orElse("")
                + "<p>You are connecting the Microsoft 365 mailbox of <strong>" + escape(connect.userEmail())
                + "</strong> to the CRM.</p>"
                + "<form method=\"post\" action=\"connect/start\">"
                + "<input type=\"hidden\" name=\"request\" value=\"" + escape(link) + "\">"
                + "<fieldset><legend>How should your mail sync?</legend>"
                + choice("TWO_WAY", "two-way", "2-way sync (recommended)", twoWay,
                        "Only mail between you and your prospects syncs, both ways: what they send you and what you send them"
                                + " reaches the CRM, and mail sent from the CRM appears in your mailbox. Your other mail stays private.")
                + choice("ONE_WAY", "one-way", "1-way sync", !twoWay,
                        "No mail syncs automatically. To add a mail to the CRM, BCC or forward it to your personal"
                                + " CRM BCC address, shown once you are connected.")
                + "</fieldset>"
                + "<p>Next, Microsoft will ask you to sign in and to allow the CRM to " + permissions + ".</p>"
                + "<p class=\"hint\" id=\"admin-approval-hint\">If Microsoft says <strong>Need admin approval</strong>, your organization lets"
                + " only its administrators approve apps. Choose <em>Return to the application without granting consent</em>: we will"
                + " give you a link to send to your administrator.</p>"
                + SIGN_IN_BUTTON + "</form>" + backToCrm(connect.returnUrl());
        // Pages default to no-referrer, under which Chromium posts forms with "Origin: null"; this page's
        // own form must say where it comes from, and the link in its URL must still go nowhere else.
        return Html.page(request, HttpStatus.OK, "Connect your Microsoft 365 mailbox", body,
                "<meta name=\"referrer\" content=\"same-origin\"><style>" + SIGN_IN_STYLE + "</style>");
    }

    private static String alreadyConnected(MailboxConnection connection) {
        return "<div class=\"notice\" id=\"already-connected\" role=\"status\"><p>Your mailbox <strong>"
                + escape(connection.mailboxAddress()) + "</strong> is already connected with " + escape(modeName(connection.mode()))
                + ".</p><p>To reconnect it, or to change how your mail syncs, choose below and sign in with Microsoft again."
                + " Your connection and your CRM BCC address stay as they are until you finish.</p></div>";
    }

    /**
     * Microsoft's "Sign in with Microsoft" button, light theme, as its identity platform branding guidelines describe:
     * the four-square logo inline (no fetch), Segoe UI 15px, white with a #8C8C8C border and #5E5E5E text.
     */
    private static final String SIGN_IN_BUTTON = "<button type=\"submit\" class=\"ms-sign-in\">"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"21\" height=\"21\" viewBox=\"0 0 21 21\" aria-hidden=\"true\""
            + " focusable=\"false\"><rect x=\"1\" y=\"1\" width=\"9\" height=\"9\" fill=\"#f25022\"/>"
            + "<rect x=\"11\" y=\"1\" width=\"9\" height=\"9\" fill=\"#7fba00\"/><rect x=\"1\" y=\"11\" width=\"9\" height=\"9\""
            + " fill=\"#00a4ef\"/><rect x=\"11\" y=\"11\" width=\"9\" height=\"9\" fill=\"#ffb900\"/></svg>"
            + "<span>Sign in with Microsoft</span></button>";

    private static final String SIGN_IN_STYLE = "button.ms-sign-in{display:inline-flex;align-items:center;gap:12px;height:41px;"
            + "padding:0 12px;background:#fff;border:1px solid #8c8c8c;border-radius:0;color:#5e5e5e;"
            + "font-family:\"Segoe UI\",system-ui,sans-serif;font-size:15px;font-weight:600}";

    private static String choice(String value, String id, String label, boolean checked, String hint) {
        return "<div class=\"choice\"><input type=\"radio\" name=\"mode\" id=\"mode-" + id + "\" value=\"" + value + "\""
                + (checked ? " checked" : "") + " aria-describedby=\"hint-" + id + "\"> <label for=\"mode-" + id + "\">" + escape(label)
                + "</label><p class=\"hint\" id=\"hint-" + id + "\">" + escape(hint) + "</p></div>";
    }

    /**
     * Connected: the mailbox, the mode, the addresses found and, for 1-way, the BCC address to copy with how to use it.
     * It stays, with the way back to the CRM: for 1-way the person needs the address before leaving.
     */
    public static HttpResponseMessage connected(HttpRequestMessage<?> request, ConnectService.Finished.Connected connected) {
        MailboxConnection connection = connected.connection();
        List<String> aliases = connection.aliases().stream().filter(a -> !a.equalsIgnoreCase(connection.mailboxAddress())).toList();
        String body = "<p>Your Microsoft 365 mailbox is now connected to the CRM.</p><dl>"
                + "<dt>Mailbox</dt><dd id=\"connected-mailbox\">" + escape(connection.mailboxAddress()) + "</dd>"
                + "<dt>Sync</dt><dd id=\"connected-mode\">" + escape(modeName(connection.mode())) + "</dd>"
                + "<dt>Other addresses of this mailbox</dt><dd id=\"connected-aliases\">"
                + (aliases.isEmpty() ? "None" : escape(String.join(", ", aliases))) + "</dd></dl>"
                + (connection.mode() == SyncMode.ONE_WAY ? bccInstructions(connection.bccAddress())
                        : "<p>Mail between you and your prospects now reaches the CRM by itself.</p>")
                + backToCrm(connected.returnUrl());
        return Html.page(request, HttpStatus.OK, "Your mailbox is connected", body, "",
                connection.mode() == SyncMode.ONE_WAY ? copyScript("bcc-address", "copy-bcc", "bcc-copy-status", "Address copied.") : "");
    }

    private static String bccInstructions(String bccAddress) {
        return "<p><label for=\"bcc-address\">Your CRM BCC address</label><br>"
                + "<input id=\"bcc-address\" type=\"text\" readonly size=\"40\" value=\"" + escape(bccAddress) + "\"> "
                + "<button type=\"button\" id=\"copy-bcc\" hidden>Copy address</button> <span id=\"bcc-copy-status\" role=\"status\"></span></p>"
                + "<p id=\"bcc-how-to\">To add a mail you send to the CRM, put this address in BCC.<br>"
                + "To add a mail you received, forward it to this address.</p>";
    }

    private static String modeName(SyncMode mode) {
        return mode == SyncMode.TWO_WAY ? "2-way sync" : "1-way sync";
    }

    /** Why the user cannot go on; nothing was stored. */
    public static HttpResponseMessage refusal(HttpRequestMessage<?> request, Refusal refusal) {
        String wayBack = refusal.wayBack().map(ConnectPages::backToCrm).orElse("");
        return Html.page(request, HttpStatus.valueOf(refusal.status()), refusal.title(), explanation(refusal) + wayBack);
    }

    /** The person signed in with a mailbox that is not their CRM user's: name both, offer another sign-in. Stays until they act. */
    public static HttpResponseMessage wrongMailbox(HttpRequestMessage<?> request, ConnectService.Finished.WrongMailbox wrong) {
        String body = "<div class=\"problem\" role=\"alert\"><p>You signed in to Microsoft as <strong id=\"signed-in-address\">"
                + escape(wrong.signedInAddress()) + "</strong>, but your CRM user is <strong id=\"crm-address\">"
                + escape(wrong.crmEmail()) + "</strong>.</p></div>"
                + "<p>Only your own mailbox can be connected to your CRM user, so nothing was connected and no access was kept."
                + " Sign in again and choose the Microsoft account of " + escape(wrong.crmEmail()) + ".</p>"
                + "<p><a class=\"button\" id=\"sign-in-again\" href=\"" + escape(wrong.retryUrl().toString())
                + "\">Sign in with a different account</a></p>" + backToCrm(wrong.returnUrl());
        return Html.page(request, HttpStatus.FORBIDDEN, "This is not your CRM user's mailbox", body);
    }

    /**
     * The sign-in ended without a connection: explain, with a way back to the CRM carrying the error code.
     * The page stays until the person acts: the advice (ask an administrator, assign a licence) is what they need.
     */
    public static HttpResponseMessage notConnected(HttpRequestMessage<?> request, Refusal refusal, URI returnUrl) {
        return Html.page(request, HttpStatus.valueOf(refusal.status()), refusal.title(), explanation(refusal) + backToCrm(returnUrl));
    }

    /**
     * The sign-in stopped, most likely at Microsoft's "Need admin approval": what to do, and the admin
     * consent link ready to send, selectable without JavaScript and with a copy button where it runs.
     */
    public static HttpResponseMessage needsAdminApproval(HttpRequestMessage<?> request, ConnectService.Finished.NeedsAdminApproval approval) {
        String link = escape(approval.adminConsentUrl().toString());
        String body = "<div class=\"problem\" role=\"alert\"><p>The sign-in with Microsoft ended before this app was allowed to read"
                + " your mail.</p></div>"
                + "<p>If Microsoft showed you <strong>Need admin approval</strong>, your organization lets only its administrators approve"
                + " apps. Send this link to an administrator of your Microsoft 365 organization (for example your IT department). When"
                + " they open it and accept, this app is approved for your organization and you can connect.</p>"
                + "<p><label for=\"admin-consent-link\">Link for your administrator</label><br>"
                + "<input id=\"admin-consent-link\" type=\"text\" readonly size=\"60\" value=\"" + link + "\"> "
                + "<button type=\"button\" id=\"copy-link\" hidden>Copy link</button> <span id=\"copy-status\" role=\"status\"></span></p>"
                + "<p>Once your administrator has approved, choose Connect email in your CRM again. If you cancelled the sign-in yourself,"
                + " nothing was connected and you can connect again at any time.</p>"
                + backToCrm(approval.returnUrl());
        return Html.page(request, HttpStatus.OK, "Your mailbox was not connected", body, "",
                copyScript("admin-consent-link", "copy-link", "copy-status", "Link copied."));
    }

    /** Shows the hidden copy button and copies the read-only field's value; the page works without it. */
    private static String copyScript(String fieldId, String buttonId, String statusId, String copied) {
        return "(function(){var b=document.getElementById('" + buttonId + "'),f=document.getElementById('" + fieldId + "'),"
                + "s=document.getElementById('" + statusId + "');b.hidden=false;b.addEventListener('click',function(){f.select();"
                + "var done=function(){s.textContent='" + copied + "';};if(navigator.clipboard){navigator.clipboard.writeText(f.value).then(done,"
                + "function(){document.execCommand('copy');done();});}else{document.execCommand('copy');done();}});})();";
    }

    /** The administrator's return from Microsoft's admin consent. */
    public static HttpResponseMessage adminConsent(HttpRequestMessage<?> request, AdminConsent.Outcome outcome) {
        if (outcome instanceof AdminConsent.Outcome.Granted granted) {
            String who = granted.userEmail() == null ? "The person who sent you the link" : escape(granted.userEmail());
            String body = "<p id=\"admin-consent-granted\">You approved this app for your organization (tenant <code>"
                    + escape(granted.tenantId()) + "</code>). Nobody else in your organization will be asked to approve it.</p>"
                    + "<p><strong>" + who + "</strong> can now connect their mailbox: tell them to choose Connect email in the CRM again."
                    + " You can close this page.</p>";
            return Html.page(request, HttpStatus.OK, "Thank you: the app is approved", body);
        }
        if (outcome instanceof AdminConsent.Outcome.NotGranted notGranted) {
            return refusal(request, Refusal.adminConsentNotGranted(notGranted.description()));
        }
        return refusal(request, Refusal.unknownAdminConsent());
    }

    /** To Microsoft's sign-in, setting the cookie the callback will ask for. */
    public static HttpResponseMessage redirect(HttpRequestMessage<?> request, URI target, String setCookie) {
        return request.createResponseBuilder(HttpStatus.FOUND)
                .header("Location", target.toString())
                .header("Set-Cookie", setCookie)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static String backToCrm(URI returnUrl) {
        return "<p><a class=\"button\" href=\"" + escape(returnUrl.toString()) + "\">Back to the CRM</a></p>";
    }

    private static String explanation(Refusal refusal) {
        return "<div class=\"problem\" role=\"alert\"><p>" + escape(refusal.message()) + "</p></div><p>" + escape(refusal.advice()) + "</p>";
    }
}
