package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.sandbox.exchange.MailMessage;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.sandbox.exchange.WellKnownFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sandbox's answers against Microsoft's documented example responses (fixtures in
 * contracts/graph, sources in its README): the same keys with the same JSON value types, all the
 * way down. A key the example has and the sandbox lacks, or the other way round, fails unless this
 * test names it, with the reason, in the fixture's allowance.
 */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphContractIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Sandbox sandbox;
    private SandboxClients clients;
    private RawGraph graph;
    private SandboxUser adele;
    private String token;

    @BeforeAll
    void useSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
        clients = new SandboxClients(sandbox);
        graph = new RawGraph(sandbox, clients);
        adele = sandbox.user("adele.vance@contoso.example");
    }

    @BeforeEach
    void signIn() {
        token = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, adele, SandboxClients.FULL_SCOPES);
    }

    /**
     * What a comparison tolerates, by path ("$.a.b", "$.list[]" for an array's items). {@code missing}:
     * documented keys the sandbox leaves out; {@code extra}: sandbox keys this example does not show;
     * {@code opaque}: values not compared below that path. Each entry maps to why.
     */
    record Allowance(Map<String, String> missing, Map<String, String> extra, Map<String, String> opaque) {
        static final Allowance NONE = new Allowance(Map.of(), Map.of(), Map.of());
    }

    private MailMessage deliveredToAdele(String subject) {
        return sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), subject, "body")).stream()
                .filter(message -> message.folder() == WellKnownFolder.INBOX).findFirst().orElseThrow();
    }

    @Test
    void messageGet() {
        MailMessage message = deliveredToAdele("contract: message");
        HttpResponse<String> answer = graph.call("GET", "/me/messages/" + message.restId(), token, null);

        assertEquals(200, answer.statusCode());
        assertMatches("message-get.json", RawGraph.json(answer), Allowance.NONE);
    }

    @Test
    void messageDelta() {
        for (int i = 0; i < 3; i++) {
            deliveredToAdele("contract: delta " + i);
        }
        HttpResponse<String> answer = graph.call("GET", "/me/mailFolders/inbox/messages/delta", token, null, "Prefer", "odata.maxpagesize=2");

        assertEquals(200, answer.statusCode());
        assertMatches("message-delta.json", RawGraph.json(answer), new Allowance(Map.of(),
                Map.of("$.@odata.context", "every Graph collection answer has one; this example leaves it out"),
                // The example shows six properties of a message and says it is shortened; message-get checks the whole message.
                Map.of("$.value[]", "compared key by key in messageGet")));
        assertTrue(RawGraph.json(answer).path("value").get(0).has("subject"));
    }

    @Test
    void subscriptionCreate() throws Exception {
        try (WebhookReceiver webhook = new WebhookReceiver(sandbox.tls().issueServerContext())) {
            String expiration = sandbox.clock().now().atOffset(ZoneOffset.UTC).plusHours(1).toString();
            HttpResponse<String> answer = graph.call("POST", "/subscriptions", token, """
                    {"changeType":"created","notificationUrl":"%s","resource":"me/mailFolders('Inbox')/messages",
                     "expirationDateTime":"%s","clientState":"secretClientValue","latestSupportedTlsVersion":"v1_2"}"""
                    .formatted(webhook.url("/api/graph/webhook"), expiration));

            assertEquals(201, answer.statusCode(), answer.body());
            assertMatches("subscription-create.json", RawGraph.json(answer), new Allowance(Map.of(),
                    Map.of("$.lifecycleNotificationUrl", "a documented subscription property (null when not asked for)",
                            "$.notificationQueryOptions", "a documented subscription property",
                            "$.includeResourceData", "a documented subscription property",
                            "$.encryptionCertificate", "a documented subscription property",
                            "$.encryptionCertificateId", "a documented subscription property",
                            "$.notificationUrlAppId", "a documented subscription property"),
                    Map.of()));
        }
    }

    @Test
    void sendMail() {
        HttpResponse<String> answer = graph.call("POST", "/me/sendMail", token,
                "{\"message\":{\"subject\":\"contract\",\"body\":{\"contentType\":\"text\",\"content\":\"x\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"buyer@prospects.example\"}}]}}");

        assertEquals(202, answer.statusCode());
        assertTrue(fixture("user-sendmail.json").isNull(), "documented: 202 Accepted and no body");
        assertTrue(answer.body().isEmpty(), answer.body());
    }

    @Test
    void batchResponse() {
        deliveredToAdele("contract: batch 1");
        deliveredToAdele("contract: batch 2");
        String other = sandbox.user("alex.wilber@contoso.example").id();
        HttpResponse<String> answer = graph.call("POST", "/$batch", token, """
                {"requests":[
                  {"id":"1","method":"GET","url":"/me/mailFolders/inbox/messages?$top=1&$select=subject"},
                  {"id":"3","method":"GET","url":"/users/%s/messages"}
                ]}""".formatted(other));

        assertEquals(200, answer.statusCode());
        assertMatches("batch-response.json", RawGraph.json(answer), new Allowance(
                Map.of("$.responses[].headers.x-ms-resource-unit", "directory (Entra) resources report resource units; Outlook's do not"),
                Map.of(),
                // The documented step lists directory roles; this one lists messages, compared in messageGet.
                Map.of("$.responses[].body.value[]", "another resource in the documented example")));
        JsonNode refused = RawGraph.json(answer).path("responses").get(1);
        assertEquals(403, refused.path("status").asInt());
        assertMatches("batch-response.json step 3", fixture("batch-response.json").path("responses").get(1), refused,
                new Allowance(Map.of("$.headers.x-ms-resource-unit", "directory resources only"), Map.of(), Map.of()));
    }

    @Test
    void errorResponse() {
        String other = sandbox.user("alex.wilber@contoso.example").id();
        HttpResponse<String> answer = graph.call("GET", "/users/" + other + "/messages", token, null);

        assertEquals(403, answer.statusCode());
        assertMatches("error-response.json", RawGraph.json(answer), Allowance.NONE);
    }

    @Test
    void userGet() {
        HttpResponse<String> answer = graph.call("GET", "/users/" + adele.id(), token, null);

        assertEquals(200, answer.statusCode());
        assertMatches("user-get.json", RawGraph.json(answer), new Allowance(Map.of(),
                Map.of("$.@odata.context", "Graph sends it with every entity; the example leaves it out"), Map.of()));
    }

    @Test
    void mailFolderGet() {
        HttpResponse<String> answer = graph.call("GET", "/me/mailFolders/inbox", token, null);

        assertEquals(200, answer.statusCode());
        assertMatches("mailfolder-get.json", RawGraph.json(answer), new Allowance(Map.of(),
                Map.of("$.@odata.context", "Graph sends it with every entity; the example leaves it out",
                        "$.isHidden", "a documented mailFolder property, after this example was written"),
                Map.of()));
    }

    private void assertMatches(String fixture, JsonNode actual, Allowance allowance) {
        assertMatches(fixture, fixture(fixture), actual, allowance);
    }

    private static void assertMatches(String what, JsonNode documented, JsonNode actual, Allowance allowance) {
        List<String> differences = new ArrayList<>();
        compare(documented, actual, "$", allowance, differences);
        assertTrue(differences.isEmpty(), what + " differs:\n  " + String.join("\n  ", differences) + "\nsandbox answered " + actual);
    }

    /**
     * A JSON null on either side matches any type: Graph's properties are nullable, and an example
     * or the sandbox may hold no value. Arrays compare their first items.
     */
    private static void compare(JsonNode documented, JsonNode actual, String path, Allowance allowance, List<String> differences) {
        if (allowance.opaque().containsKey(path) || documented.isNull() || actual.isNull()) {
            return;
        }
        if (!documented.getNodeType().equals(actual.getNodeType())) {
            differences.add(path + ": documented " + documented.getNodeType() + ", sandbox " + actual.getNodeType());
            return;
        }
        if (documented.isObject()) {
            for (Iterator<String> names = documented.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String child = path + "." + name;
                if (actual.has(name)) {
                    compare(documented.get(name), actual.get(name), child, allowance, differences);
                } else if (!allowance.missing().containsKey(child)) {
                    differences.add(child + ": documented, missing from the sandbox");
                }
            }
            for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!documented.has(name) && !allowance.extra().containsKey(path + "." + name)) {
                    differences.add(path + "." + name + ": the sandbox sends it, the example does not");
                }
            }
        } else if (documented.isArray() && !documented.isEmpty() && !actual.isEmpty()) {
            compare(documented.get(0), actual.get(0), path + "[]", allowance, differences);
        }
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = GraphContractIT.class.getResourceAsStream("/contracts/graph/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No fixture contracts/graph/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
