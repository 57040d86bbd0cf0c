package io.mailbridge.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailbridge.sandbox.SandboxUser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Walks the connect flow as a browser would, over HTTP: CRM link, choice, Microsoft sign-in, callback. */
public final class Connecting {
    private final Stack stack;
    private final URI stamp;
    private final Web web;

    /** At the US stamp. */
    public Connecting(Stack stack) {
        this(stack, stack.appBaseUrl());
    }

    /** At the stamp whose base URL is {@code stampBaseUrl}. */
    public Connecting(Stack stack, URI stampBaseUrl) {
        this.stack = stack;
        this.stamp = stampBaseUrl;
        this.web = new Web(stack.sandbox().tls().clientContext());
    }

    public Web web() {
        return web;
    }

    /** A link the CRM would make for this user of this account, coming back to the CRM stand-in. */
    public String link(String accountId, String userId, SandboxUser mailbox, List<String> roles, String region) {
        return CrmLinks.connectLink(stack.crmSecret(), accountId, userId, mailbox.userPrincipalName(), roles, region,
                stack.crm().returnUrl(accountId, userId).toString(), stack.sandbox().clock().instant());
    }

    public HttpResponse<String> openConnectPage(String link) {
        return web.get(stamp.resolve("api/connect?request=" + URLEncoder.encode(link, StandardCharsets.UTF_8)));
    }

    /** Sign in with Microsoft on the connect page: the app answers with a redirect to Microsoft's sign-in. */
    public HttpResponse<String> proceed(String link, String mode) {
        return web.postForm(stamp.resolve("api/connect/start"), Map.of("request", link, "mode", mode));
    }

    /**
     * From Microsoft's authorize URL on: pick the user, accept or cancel, and let the form_post page hand
     * the answer to the app's callback. Returns the app's answer to the callback.
     */
    public HttpResponse<String> signInAtMicrosoft(URI authorizeUrl, SandboxUser user, String action) {
        HttpResponse<String> signInPage = web.get(authorizeUrl);
        assertEquals(200, signInPage.statusCode(), signInPage.body());
        Map<String, String> request = Web.hiddenFields(signInPage.body());
        HttpResponse<String> answer = web.postForm(Web.formAction(signInPage),
                Map.of("request", request.get("request"), "user", user.id(), "action", action));
        assertEquals(200, answer.statusCode(), "the sandbox answers with a form_post page: " + answer.body());
        return web.postForm(Web.formAction(answer), Web.hiddenFields(answer.body()));
    }

    /** The whole flow; returns the app's answer to Microsoft's callback (a redirect to the CRM when connected). */
    public HttpResponse<String> connect(String link, String mode, SandboxUser user, String action) {
        HttpResponse<String> toMicrosoft = proceed(link, mode);
        assertEquals(302, toMicrosoft.statusCode(), toMicrosoft.body());
        return signInAtMicrosoft(Web.location(toMicrosoft), user, action);
    }
}
