package io.mailbridge.connect;

/** Why a user cannot go on, in words for that user, with the HTTP status the page is served with. */
public record Refusal(int status, String title, String message, String advice) {

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
                "Go back, choose 2-way or 1-way, and press Proceed.");
    }

    static Refusal usedOrExpiredSignIn() {
        return new Refusal(400, "This sign-in has already finished or expired",
                "Each sign-in with Microsoft can complete once, within 10 minutes.",
                "Go back to your CRM and choose Connect email again.");
    }
}
