package io.mailbridge.connect;

import static io.mailbridge.http.Html.escape;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.http.Html;
import io.mailbridge.mailbox.Profile;
import java.net.URI;

/** The pages a person sees while connecting a mailbox; they work without JavaScript. */
public final class ConnectPages {
    private ConnectPages() {}

    /** The choice between 2-way and 1-way sync, and Proceed. */
    public static HttpResponseMessage choice(HttpRequestMessage<?> request, ConnectRequest connect, Profile profile, String link) {
        String permissions = profile == Profile.FULL ? "read, organise and send mail for you" : "read your mail";
        String body = "<p>You are connecting the Microsoft 365 mailbox of <strong>" + escape(connect.userEmail())
                + "</strong> to the CRM.</p>"
                + "<form method=\"post\" action=\"connect/start\">"
                + "<input type=\"hidden\" name=\"request\" value=\"" + escape(link) + "\">"
                + "<fieldset><legend>How should your mail sync?</legend>"
                + choice("TWO_WAY", "two-way", "2-way sync (recommended)", true,
                        "Mail between you and your prospects syncs both ways: what they send you and what you send them reaches the CRM,"
                                + " and mail sent from the CRM appears in your mailbox. Other mail stays private.")
                + choice("ONE_WAY", "one-way", "1-way sync", false,
                        "Incoming mail is not synced automatically. To add a mail to the CRM, BCC or forward it to your personal"
                                + " CRM BCC address, shown in your CRM profile once you are connected.")
                + "</fieldset>"
                + "<p>Next, Microsoft will ask you to sign in and to allow the CRM to " + permissions + ".</p>"
                + "<p class=\"hint\" id=\"admin-approval-hint\">If Microsoft says <strong>Need admin approval</strong>, your organization lets"
                + " only its administrators approve apps. Choose <em>Return to the application without granting consent</em>: we will"
                + " give you a link to send to your administrator.</p>"
                + "<button type=\"submit\">Proceed</button></form>";
        // Pages default to no-referrer, under which Chromium posts forms with "Origin: null"; this page's
        // own form must say where it comes from, and the link in its URL must still go nowhere else.
        return Html.page(request, HttpStatus.OK, "Connect your Microsoft 365 mailbox", body,
                "<meta name=\"referrer\" content=\"same-origin\">");
    }

    private static String choice(String value, String id, String label, boolean checked, String hint) {
        return "<div class=\"choice\"><input type=\"radio\" name=\"mode\" id=\"mode-" + id + "\" value=\"" + value + "\""
                + (checked ? " checked" : "") + " aria-describedby=\"hint-" + id + "\"> <label for=\"mode-" + id + "\">" + escape(label)
                + "</label><p class=\"hint\" id=\"hint-" + id + "\">" + escape(hint) + "</p></div>";
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
        return Html.page(request, HttpStatus.OK, "Your mailbox was not connected", body, "", COPY_SCRIPT);
    }

    private static final String COPY_SCRIPT = "(function(){var b=document.getElementById('copy-link'),f=document.getElementById('admin-consent-link'),"
            + "s=document.getElementById('copy-status');b.hidden=false;b.addEventListener('click',function(){f.select();"
            + "var done=function(){s.textContent='Link copied.';};if(navigator.clipboard){navigator.clipboard.writeText(f.value).then(done,"
            + "function(){document.execCommand('copy');done();});}else{document.execCommand('copy');done();}});})();";

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

    public static HttpResponseMessage redirect(HttpRequestMessage<?> request, URI target) {
        return redirectBuilder(request, target).build();
    }

    /** To Microsoft's sign-in, setting the cookie the callback will ask for. */
    public static HttpResponseMessage redirect(HttpRequestMessage<?> request, URI target, String setCookie) {
        return redirectBuilder(request, target).header("Set-Cookie", setCookie).build();
    }

    private static HttpResponseMessage.Builder redirectBuilder(HttpRequestMessage<?> request, URI target) {
        return request.createResponseBuilder(HttpStatus.FOUND)
                .header("Location", target.toString())
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer");
    }

    private static String backToCrm(URI returnUrl) {
        return "<p><a class=\"button\" href=\"" + escape(returnUrl.toString()) + "\">Back to the CRM</a></p>";
    }

    private static String explanation(Refusal refusal) {
        return "<div class=\"problem\" role=\"alert\"><p>" + escape(refusal.message()) + "</p></div><p>" + escape(refusal.advice()) + "</p>";
    }
}
