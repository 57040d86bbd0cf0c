package io.mailbridge.connect;

import java.net.URI;
import java.util.Optional;

/**
 * Why a user cannot go on, in words for that user, with the HTTP status the page is served with and,
 * where the CRM's return address is known and allowed, a way back to it.
 */
public record Refusal(int status, String title, String message, String advice, Optional<URI> wayBack) {

    Refusal(int status, String title, String message, String advice) {
        this(status, title, message, advice, Optional.empty());
    }

    Refusal backTo(URI returnUrl) {
        return new Refusal(status, title, message, advice, Optional.of(returnUrl));
    }

    static Refusal invalidLink() {
        return new Refusal(401, "This link is not valid",
                "The link that brought you here was not made by your CRM, or it was changed on the way.",
                "Go back to your CRM and choose Connect email again.");
    }

    static Refusal expiredLink() {
        return new Refusal(401, "This link has expired",
                "For your security, the link from your CRM works only for a few minutes.",
                "Go back to your CRM and choose Connect email again.");
    }

    static Refusal unknownReturnAddress() {
        return new Refusal(400, "Your CRM sent an unknown return address",
                "The CRM asked to send you back to an address this service does not know, so we stopped here.",
                "Ask your administrator to check the CRM's configuration.");
    }

    static Refusal missingRole() {
        return new Refusal(403, "You can't connect your email",
                "You don't have permission to connect your email to the CRM",
                "Ask your administrator to enable the 'Connect to mailbox' role for you.");
    }

    static Refusal wrongRegion(String homeRegion, String stampRegion) {
        return new Refusal(403, "Your account is hosted in another region",
                "Your CRM account keeps its data in the " + homeRegion + " region, and this is the " + stampRegion
                        + " service, so your mailbox cannot be connected here.",
                "Connect your email from your CRM again; it will send you to the " + homeRegion + " service.");
    }

    static Refusal restrictedProfileUnavailable(String stampRegion) {
        return new Refusal(403, "This connection type is not available in your region",
                "Your CRM account is set to connect mailboxes without IMAP (the restricted profile), which is not offered in the "
                        + stampRegion + " region.",
                "Ask your administrator or support to switch your account to the standard profile.");
    }

    static Refusal unknownMode() {
        return new Refusal(400, "Choose how to sync",
                "The form did not say whether to use 2-way or 1-way sync.",
                "Go back, choose 2-way or 1-way, and sign in with Microsoft.");
    }

    /** After Microsoft's sign-in: why the mailbox was not connected, by the error code passed to the CRM. */
    static Refusal notConnected(String errorCode) {
        return switch (errorCode) {
            case "unauthorized_client", "invalid_scope" -> new Refusal(200, "Your organization needs to approve this app",
                    "Microsoft 365 did not let this app read your mailbox.",
                    "Ask an administrator of your Microsoft 365 organization to grant consent, then connect again.");
            case "mailbox_taken" -> new Refusal(200, "This mailbox is already connected",
                    "Another user of your CRM account has connected this mailbox.",
                    "Sign in with your own mailbox, or ask that user to disconnect it first.");
            case "mailbox_not_supported" -> new Refusal(200, "This mailbox can't be connected",
                    "Microsoft reports that the account has no Exchange Online mailbox (it may be unlicensed or hosted on-premises).",
                    "Ask your Microsoft 365 administrator to assign an Exchange Online licence, then connect again.");
            case "temporarily_unavailable", "server_error" -> new Refusal(200, "Microsoft is not answering right now",
                    "The sign-in could not be completed because Microsoft's service did not answer.", "Please try again in a few minutes.");
            default -> new Refusal(200, "Your mailbox was not connected",
                    "Microsoft could not complete the sign-in.", "Go back to your CRM and try again.");
        };
    }

    static Refusal adminConsentNotGranted(String microsoftSays) {
        return new Refusal(200, "The app was not approved",
                "Microsoft did not approve the app for your organization: " + microsoftSays,
                "Only an administrator who may grant consent for the whole organization (for example a Global Administrator or a"
                        + " Cloud Application Administrator) can approve it. Open the same link again and sign in with such an account.");
    }

    static Refusal unknownAdminConsent() {
        return new Refusal(400, "This approval link is not valid here",
                "We can't match this approval to a request from one of our users: the link was not made by this service, was changed,"
                        + " or is more than 7 days old.",
                "Ask the person who sent you the link to choose Connect email in the CRM again: they will get a fresh link to send you.");
    }

    static Refusal usedOrExpiredSignIn() {
        return new Refusal(400, "This sign-in has already finished or expired",
                "Each sign-in with Microsoft can complete once, within 10 minutes.",
                "Go back to your CRM and choose Connect email again.");
    }

    static Refusal callbackWithoutSignIn() {
        return new Refusal(400, "No sign-in to finish here",
                "This address is where Microsoft sends you back after signing in, and it was opened without a sign-in.",
                "To connect your mailbox, go to your CRM and choose Connect email.");
    }

    static Refusal startWithoutForm() {
        return new Refusal(405, "Start connecting from your CRM",
                "This address takes the choice made on the connect page, and it was opened directly.",
                "Go to your CRM and choose Connect email: the connect page opens, and you can choose there.");
    }

    static Refusal usedLink() {
        return new Refusal(409, "This link was already used",
                "Each link from your CRM can start connecting once, and this one has been used already.",
                "Go back to your CRM and choose Connect email again.");
    }

    static Refusal crossSiteStart() {
        return new Refusal(403, "Start connecting from your CRM",
                "This request to connect a mailbox came from another website, not from this service's connect page, so we stopped here.",
                "Go back to your CRM and choose Connect email. If a page you did not expect sent you here, close it: nothing was connected.");
    }

    static Refusal otherBrowser() {
        return new Refusal(403, "Finish connecting in the browser you started in",
                "This sign-in was started in another browser, or this browser did not keep our sign-in cookie, so no mailbox was connected.",
                "If you started connecting yourself, go back to your CRM and choose Connect email again in this browser, with cookies"
                        + " allowed. If someone sent you a sign-in link, close this page: nothing was connected.");
    }
}
