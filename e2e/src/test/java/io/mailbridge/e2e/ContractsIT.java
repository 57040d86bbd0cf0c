package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.e2e.support.Web;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.ContractValidator;
import io.mailbridge.testkit.UniqueNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stamp on the local host answers as its published contract says: it serves the contract itself, and
 * the answers of the CRM's, support's and the browser's routes (status, media type and JSON body) and the
 * events the CRM receives are the ones the OpenAPI document and its schemas describe.
 */
@ExtendWith(StackExtension.class)
class ContractsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final ContractValidator validator = new ContractValidator();
    private final List<String> mismatches = new ArrayList<>();
    private JsonNode openApi;

    @Test
    void theStampServesItsContractAndAnswersAsItSays(Stack stack) throws IOException {
        Connecting connecting = new Connecting(stack);
        MailboxApi api = new MailboxApi(stack);
        String account = UniqueNames.next("contract");

        HttpResponse<String> document = connecting.web().get(stack.appBaseUrl().resolve("api/contracts/openapi.json"));
        assertEquals(200, document.statusCode(), "the document is public");
        assertEquals(resource("openapi.json"), document.body());
        openApi = MailboxApi.json(document.body());
        check("GET", "/contracts/openapi.json", document);
        HttpResponse<String> schema = connecting.web().get(stack.appBaseUrl().resolve("api/contracts/events/email.sent_by_crm.schema.json"));
        assertEquals(resource("events/email.sent_by_crm.schema.json"), schema.body());
        check("GET", "/contracts/{folder}/{file}", schema);
        HttpResponse<String> outside = connecting.web().get(stack.appBaseUrl().resolve("api/contracts/schemas/..%2Fopenapi.json"));
        assertEquals(404, outside.statusCode(), "only the contract's own documents are served");
        check("GET", "/contracts/{folder}/{file}", outside);
        check("GET", "/health", connecting.web().get(stack.appBaseUrl().resolve("api/health")));

        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        String link = connecting.link(account, "u1", joni, List.of("Connect to mailbox"), "US");
        check("GET", "/connect", connecting.openConnectPage(link));
        HttpResponse<String> toMicrosoft = connecting.proceed(link, "TWO_WAY");
        check("POST", "/connect/start", toMicrosoft);
        HttpResponse<String> connected = connecting.signInAtMicrosoft(Web.location(toMicrosoft), joni, "accept");
        assertEquals(200, connected.statusCode());
        check("POST", "/connect/callback", connected);
        check("GET", "/connect", connecting.openConnectPage(link));

        String mailbox = MailboxApi.mailboxPath(account, "u1");
        String prospect = "buyer." + account + "@buyers.example";
        check("POST", "/accounts/{accountId}/prospects", api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}"));
        check("POST", "/accounts/{accountId}/prospects", api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"not an address\"]}"));
        check("GET", "/accounts/{accountId}/mailboxes/{userId}", api.call("GET", mailbox, ""));
        check("GET", "/accounts/{accountId}/mailboxes/{userId}", api.call("GET", MailboxApi.mailboxPath(account, "nobody"), ""));
        check("GET", "/accounts/{accountId}/mailboxes/{userId}/sending", api.call("GET", mailbox + "/sending", ""));
        HttpResponse<String> accepted = api.call("POST", mailbox + "/sends",
                "{\"idempotencyKey\":\"k1\",\"to\":[\"" + prospect + "\"],\"subject\":\"offer " + account + "\",\"text\":\"Our offer\"}");
        check("POST", "/accounts/{accountId}/mailboxes/{userId}/sends", accepted);
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(joni.userPrincipalName()), "reply " + account, "Thanks"));
        stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.type().equals("send.status") && e.data().path("state").asText().equals("SENT"),
                PATIENCE);
        stack.crm().awaitEvent(e -> e.accountId().equals(account) && e.type().equals("email.received"), PATIENCE);
        check("GET", "/accounts/{accountId}/mailboxes/{userId}/sends/{sendId}",
                api.call("GET", mailbox + "/sends/" + MailboxApi.json(accepted.body()).path("send").path("sendId").asText(), ""));
        check("PATCH", "/accounts/{accountId}/mailboxes/{userId}", api.call("PATCH", mailbox, "{\"mode\":\"ONE_WAY\"}"));
        check("PATCH", "/accounts/{accountId}/mailboxes/{userId}", api.call("PATCH", mailbox, "{\"mode\":\"sometimes\"}"));
        for (String ops : List.of("/ops/dead-letters", "/ops/status", "/ops/status/page")) {
            check("GET", ops, connecting.web().send(HttpRequest.newBuilder(stack.appBaseUrl().resolve("api" + ops))
                    .header("x-functions-key", Stack.MASTER_KEY).GET()));
        }
        check("DELETE", "/accounts/{accountId}/mailboxes/{userId}", api.call("DELETE", mailbox, ""));

        for (CrmEvent event : stack.crm().events().stream().filter(e -> e.accountId().equals(account)).toList()) {
            validator.errors("events/" + event.type() + ".schema.json", event.body())
                    .forEach(error -> mismatches.add("event " + event.type() + " " + event.id() + ": " + error));
        }
        assertEquals(List.of(), mismatches);
    }

    /** Notes where the answer differs from what the document says of this operation: an undocumented status or media type, or a body off its schema. */
    private void check(String method, String path, HttpResponse<String> response) {
        String where = method + " " + path + " " + response.statusCode();
        JsonNode responses = openApi.path("paths").path(path).path(method.toLowerCase(Locale.ROOT)).path("responses");
        String status = Integer.toString(response.statusCode());
        String key = responses.has(status) ? status : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX" : "default";
        if (!responses.has(key)) {
            mismatches.add(where + ": the document has no such answer");
            return;
        }
        JsonNode content = responses.get(key).path("content");
        String mediaType = response.headers().firstValue("Content-Type").map(type -> type.split(";")[0].trim()).orElse(null);
        if (mediaType == null || content.isMissingNode()) {
            if (mediaType != null || !content.isMissingNode()) {
                mismatches.add(where + ": Content-Type " + mediaType + ", the document says " + content);
            }
            return;
        }
        String documented = findMediaType(content, mediaType);
        if (documented == null) {
            mismatches.add(where + ": Content-Type " + mediaType + " is not among " + content);
        } else if (mediaType.endsWith("json")) {
            validator.errors("openapi.json" + ContractValidator.pointer(List.of("paths", path, method.toLowerCase(Locale.ROOT), "responses", key,
                    "content", documented, "schema")), response.body()).forEach(error -> mismatches.add(where + ": " + error));
        }
    }

    /** The document's media type the answer's matches, ignoring parameters such as OpenAPI's version. */
    private static String findMediaType(JsonNode content, String mediaType) {
        for (String documented : (Iterable<String>) () -> content.fieldNames()) {
            if (documented.split(";")[0].trim().equalsIgnoreCase(mediaType)) {
                return documented;
            }
        }
        return null;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ContractsIT.class.getClassLoader().getResourceAsStream("contracts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
