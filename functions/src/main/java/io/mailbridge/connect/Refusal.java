package io.mailbridge.connect;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Why a user cannot go on, told in their language (pages.properties: {@code refusal.<key>.title, .message, .advice}
 * with {@code values} put in), with the HTTP status the page is served with and, where the CRM's return
 * address is known and allowed, a way back to it.
 */
public record Refusal(int status, String key, List<String> values, Optional<URI> wayBack) {

    public Refusal {
        values = List.copyOf(values);
    }

    private Refusal(int status, String key, String... values) {
        this(status, key, List.of(values), Optional.empty());
    }

    Refusal backTo(URI returnUrl) {
        return new Refusal(status, key, values, Optional.of(returnUrl));
    }

    String title(PageTexts texts) {
        return texts.text("refusal." + key + ".title", values.toArray(String[]::new));
    }

    String message(PageTexts texts) {
        return texts.text("refusal." + key + ".message", values.toArray(String[]::new));
    }

    String advice(PageTexts texts) {
        return texts.text("refusal." + key + ".advice", values.toArray(String[]::new));
    }

    static Refusal invalidLink() {
        return new Refusal(401, "invalidLink");
    }

    static Refusal expiredLink() {
        return new Refusal(401, "expiredLink");
    }

    static Refusal unknownReturnAddress() {
        return new Refusal(400, "unknownReturnAddress");
    }

    static Refusal missingRole() {
        return new Refusal(403, "missingRole");
    }

    static Refusal wrongRegion(String homeRegion, String stampRegion) {
        return new Refusal(403, "wrongRegion", homeRegion, stampRegion);
    }

    static Refusal restrictedProfileUnavailable(String stampRegion) {
        return new Refusal(403, "restrictedProfile", stampRegion);
    }

    static Refusal unknownMode() {
        return new Refusal(400, "unknownMode");
    }

    /** After Microsoft's sign-in: why the mailbox was not connected, by the error code passed to the CRM. */
    static Refusal notConnected(String errorCode) {
        return switch (errorCode) {
            case "unauthorized_client", "invalid_scope" -> new Refusal(200, "needsApproval");
            case "mailbox_taken" -> new Refusal(200, "mailboxTaken");
            case "mailbox_not_supported" -> new Refusal(200, "mailboxNotSupported");
            case "temporarily_unavailable", "server_error" -> new Refusal(200, "microsoftUnavailable");
            default -> new Refusal(200, "notConnected");
        };
    }

    /** {@code microsoftSays} is Microsoft's own description, in Microsoft's words. */
    static Refusal adminConsentNotGranted(String microsoftSays) {
        return new Refusal(200, "adminConsentNotGranted", microsoftSays);
    }

    static Refusal unknownAdminConsent() {
        return new Refusal(400, "unknownAdminConsent");
    }

    static Refusal usedOrExpiredSignIn() {
        return new Refusal(400, "usedOrExpiredSignIn");
    }

    static Refusal callbackWithoutSignIn() {
        return new Refusal(400, "callbackWithoutSignIn");
    }

    static Refusal startWithoutForm() {
        // 400, not 405: a 405 must name the allowed methods (Allow), and what the person needs is this page.
        return new Refusal(400, "startWithoutForm");
    }

    static Refusal usedLink() {
        return new Refusal(409, "usedLink");
    }

    static Refusal crossSiteStart() {
        return new Refusal(403, "crossSiteStart");
    }

    static Refusal otherBrowser() {
        return new Refusal(403, "otherBrowser");
    }
}
