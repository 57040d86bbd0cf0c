package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.crm.Prospects;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.graph.TokenCaches;
import io.mailbridge.mailbox.AuditLog;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CRM's API on a connected mailbox: status, mode, disconnect, prospects, and the ops profile switch. */
@ExtendWith(StackExtension.class)
class MailboxApiIT {
    private Stack stack;
    private Connecting connecting;
    private MailboxApi api;
    private String account;

    @BeforeEach
    void setUp(Stack stack) {
        this.stack = stack;
        this.connecting = new Connecting(stack);
        this.api = new MailboxApi(stack);
        this.account = UniqueNames.next("api");
    }

    private void connect(String userId, SandboxUser mailbox, String mode) {
        String link = connecting.link(account, userId, mailbox, List.of("Connect to mailbox"), "US");
        assertEquals(200, connecting.connect(link, mode, mailbox, "accept").statusCode());
    }

    private long subscriptionsAtGraph(SandboxUser user) {
        return stack.sandbox().exchange().subscriptions().live().stream().filter(s -> s.userId().equals(user.id())).count();
    }

    @Test
    void anotherAccountsMailboxIsNotFoundAndUnsignedCallsAreRefused() {
        connect("u1", stack.sandbox().user("joni.sherman@contoso.example"), "ONE_WAY");

        HttpResponse<String> otherAccount = api.call("GET", MailboxApi.mailboxPath(account + "-other", "u1"), "");
        assertEquals(404, otherAccount.statusCode());
        assertTrue(otherAccount.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        assertEquals("No such mailbox", MailboxApi.json(otherAccount.body()).get("title").asText());

        HttpResponse<String> unsigned = connecting.web().send(HttpRequest.newBuilder(
                URI.create(stack.appBaseUrl() + MailboxApi.mailboxPath(account, "u1").substring(1)))
                .header("x-functions-key", Stack.FUNCTION_KEY).GET());
        assertEquals(401, unsigned.statusCode());
        assertEquals("Not signed by the CRM", MailboxApi.json(unsigned.body()).get("title").asText());
        HttpResponse<String> withoutKey = connecting.web().send(HttpRequest.newBuilder(
                URI.create(stack.appBaseUrl() + MailboxApi.mailboxPath(account, "u1").substring(1))).GET());
        assertEquals(401, withoutKey.statusCode(), "the function key is checked first");
    }

    @Test
    void changingTheModeMakesTheSubscriptionsFollow() {
        SandboxUser lynne = stack.sandbox().user("lynne.robbins@fabrikam.example");
        connect("u2", lynne, "TWO_WAY");
        long twoWay = subscriptionsAtGraph(lynne);

        HttpResponse<String> oneWay = api.call("PATCH", MailboxApi.mailboxPath(account, "u2"), "{\"mode\":\"one-way\"}");
        assertEquals(200, oneWay.statusCode(), oneWay.body());
        assertEquals("ONE_WAY", MailboxApi.json(oneWay.body()).get("mode").asText());
        assertEquals(0, MailboxApi.json(oneWay.body()).get("subscriptions").size());
        assertEquals(twoWay - 2, subscriptionsAtGraph(lynne));

        HttpResponse<String> back = api.call("PATCH", MailboxApi.mailboxPath(account, "u2"), "{\"mode\":\"TWO_WAY\"}");
        assertEquals(2, MailboxApi.json(back.body()).get("subscriptions").size());
        assertEquals(twoWay, subscriptionsAtGraph(lynne));

        HttpResponse<String> bad = api.call("PATCH", MailboxApi.mailboxPath(account, "u2"), "{\"mode\":\"sometimes\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("mode", MailboxApi.json(bad.body()).get("field").asText());
    }

    @Test
    void disconnectingWipesTokensAndSubscriptionsKeepsTheRecordAndFreesTheMailbox() {
        SandboxUser lynne = stack.sandbox().user("lynne.robbins@fabrikam.example");
        connect("u3", lynne, "TWO_WAY");
        long before = subscriptionsAtGraph(lynne);

        HttpResponse<String> disconnected = api.call("DELETE", MailboxApi.mailboxPath(account, "u3"), "");

        assertEquals(200, disconnected.statusCode(), disconnected.body());
        JsonNode status = MailboxApi.json(disconnected.body());
        assertEquals("DISCONNECTED", status.get("state").asText());
        assertEquals(0, status.get("subscriptions").size());
        assertEquals(before - 2, subscriptionsAtGraph(lynne));
        assertEquals(Optional.empty(), new TokenCaches(stack.storage()).find(account, "u3"));
        assertTrue(new AuditLog(stack.storage()).of(account, 10).stream().anyMatch(e -> e.action().equals("disconnected")));
        assertEquals(200, api.call("DELETE", MailboxApi.mailboxPath(account, "u3"), "").statusCode(), "disconnecting again is harmless");
        connect("u4", lynne, "ONE_WAY");
        assertEquals("ACTIVE", api.status(account, "u4").get("state").asText(), "another user may now connect the mailbox");
    }

    @Test
    void prospectsAreUpsertedAndDeletedIdempotentlyAndCaseInsensitively() {
        String path = "/api/accounts/" + account + "/prospects";
        Prospects prospects = new Prospects(stack.storage());

        assertEquals(200, api.call("POST", path, "{\"upsert\":[\"Ann@Acme.example\",\"bob@acme.example\"]}").statusCode());
        HttpResponse<String> again = api.call("POST", path, "{\"upsert\":[\"ann@acme.example\"],\"delete\":[\"BOB@acme.example\",\"nobody@acme.example\"]}");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(Set.of("ann@acme.example"),
                prospects.prospectsAmong(account, List.of("ann@acme.example", "bob@acme.example", "nobody@acme.example")));

        HttpResponse<String> bad = api.call("POST", path, "{\"upsert\":[\"carol@acme.example\",\"not an address\"]}");
        assertEquals(400, bad.statusCode());
        assertEquals("upsert[1]", MailboxApi.json(bad.body()).get("field").asText());
        assertEquals(Set.of(), prospects.prospectsAmong(account, List.of("carol@acme.example")), "nothing of a bad request is applied");
    }

    @Test
    void aCapturedSignedDisconnectReplayedAfterReconnectIsRefusedWhileAFreshlySignedOneWorks() {
        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        connect("u5", joni, "ONE_WAY");
        String path = MailboxApi.mailboxPath(account, "u5");
        long signedAt = stack.sandbox().clock().instant().getEpochSecond();
        assertEquals(200, api.send("DELETE", path, "", signedAt).statusCode());
        connect("u5", joni, "ONE_WAY");

        HttpResponse<String> replayed = api.send("DELETE", path, "", signedAt);

        assertEquals(409, replayed.statusCode(), replayed.body());
        assertTrue(replayed.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        assertEquals("Request already served", MailboxApi.json(replayed.body()).get("title").asText());
        assertEquals("ACTIVE", api.status(account, "u5").get("state").asText(), "the replay did not disconnect the reconnected mailbox");
        HttpResponse<String> fresh = api.call("DELETE", path, "");
        assertEquals(200, fresh.statusCode(), fresh.body());
        assertEquals("DISCONNECTED", MailboxApi.json(fresh.body()).get("state").asText());
    }

    @Test
    void supportSwitchesAnAccountsProfileWithTheMasterKeyOnly() {
        HttpResponse<String> set = api.setProfile(account, "RESTRICTED");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals("RESTRICTED", MailboxApi.json(set.body()).get("profile").asText());
        HttpResponse<String> bad = api.setProfile(account, "PARTIAL");
        assertEquals(400, bad.statusCode());
        assertEquals("profile", MailboxApi.json(bad.body()).get("field").asText());
        HttpResponse<String> withFunctionKey = connecting.web().send(HttpRequest.newBuilder(
                stack.appBaseUrl().resolve("api/ops/accounts/" + account + "/profile")).header("x-functions-key", Stack.FUNCTION_KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"profile\":\"FULL\"}")));
        assertEquals(401, withFunctionKey.statusCode());
    }
}
