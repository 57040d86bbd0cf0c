package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.mailbridge.sandbox.exchange.LifecycleEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.Polling;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What every Graph answer looks like on the wire: ids, Date, OData content type, error innerError, Retry-After forms, batch steps, notification ids. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphWireIT {
    private static final String ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
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

    @AfterEach
    void clearFaults() {
        sandbox.throttling().clearFaults(adele.id());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header in " + response.headers().map()));
    }

    private static boolean isGuid(String text) {
        return text.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void aJsonAnswerCarriesAFreshRequestIdTheCallersClientRequestIdADateAndODataJson() {
        String clientRequestId = UUID.randomUUID().toString();
        HttpResponse<String> first = graph.call("GET", "/me", token, null, "client-request-id", clientRequestId);
        HttpResponse<String> second = graph.call("GET", "/me", token, null, "client-request-id", clientRequestId);

        assertEquals(200, first.statusCode());
        assertTrue(isGuid(header(first, "request-id")), header(first, "request-id"));
        assertNotEquals(header(first, "request-id"), header(second, "request-id"), "each request has its own id");
        assertEquals(clientRequestId, header(first, "client-request-id"));
        assertEquals(ODATA_JSON, header(first, "Content-Type"));
        assertEquals("4.0", header(first, "OData-Version"));
        Instant date = ZonedDateTime.parse(header(first, "Date"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(Duration.between(date, Instant.now()).abs().compareTo(Duration.ofSeconds(5)) < 0, "Date is the wall clock's now: " + date);
    }

    @Test
    void withoutAClientRequestIdGraphMakesOneUp() {
        HttpResponse<String> answer = graph.call("GET", "/me/mailFolders/inbox", token, null);

        assertTrue(isGuid(header(answer, "client-request-id")));
        assertNotEquals(header(answer, "request-id"), header(answer, "client-request-id"));
    }

    @Test
    void anErrorBodyNamesTheDateAndBothIdsInItsInnerError() {
        HttpResponse<String> answer = graph.call("GET", "/me/messages/AAMkAGNoSuchMessage", token, null, "client-request-id", "7d0a4c1e-0000-4000-8000-000000000001");

        assertEquals(404, answer.statusCode());
        assertEquals("application/json", header(answer, "Content-Type"));
        assertTrue(answer.headers().firstValue("OData-Version").isEmpty());
        JsonNode inner = RawGraph.json(answer).path("error").path("innerError");
        assertEquals(header(answer, "request-id"), inner.path("request-id").asText());
        assertEquals("7d0a4c1e-0000-4000-8000-000000000001", inner.path("client-request-id").asText());
        assertTrue(inner.path("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), inner.toString());
    }

    @Test
    void anAcceptedSendHasIdsAndNoBody() {
        HttpResponse<String> answer = graph.call("POST", "/me/sendMail", token,
                "{\"message\":{\"subject\":\"wire\",\"body\":{\"contentType\":\"text\",\"content\":\"x\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"buyer@prospects.example\"}}]}}");

        assertEquals(202, answer.statusCode());
        assertTrue(answer.body().isEmpty());
        assertTrue(isGuid(header(answer, "request-id")));
        assertTrue(isGuid(header(answer, "client-request-id")));
        header(answer, "Date");
    }

    @Test
    void throttlingWritesRetryAfterInTheFormTheControlApiChose() {
        String faults = "/mailboxes/" + adele.id() + "/faults";
        assertEquals(200, graph.control("POST", faults, "{\"type\":\"throttle\",\"retryAfterSeconds\":2.128,\"retryAfterForm\":\"fraction\"}").statusCode());
        assertEquals("2.128", header(graph.call("GET", "/me/messages", token, null), "Retry-After"));

        assertEquals(200, graph.control("POST", faults, "{\"type\":\"throttle\",\"retryAfterSeconds\":7,\"retryAfterForm\":\"http-date\"}").statusCode());
        HttpResponse<String> dated = graph.call("GET", "/me/messages", token, null);
        Instant retryAt = ZonedDateTime.parse(header(dated, "Retry-After"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Instant answeredAt = ZonedDateTime.parse(header(dated, "Date"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        long seconds = Duration.between(answeredAt, retryAt).toSeconds();
        assertTrue(seconds >= 7 && seconds <= 8, "7 s after the answer, rounded up to a second: " + seconds);

        assertEquals(200, graph.control("POST", faults, "{\"type\":\"throttle\",\"retryAfterSeconds\":2.128}").statusCode());
        assertEquals("3", header(graph.call("GET", "/me/messages", token, null), "Retry-After"), "whole seconds, rounded up, by default");

        assertEquals(400, graph.control("POST", faults, "{\"type\":\"throttle\",\"retryAfterForm\":\"soon\"}").statusCode());
    }

    @Test
    void aBatchStepWithABodyButNoContentTypeIsRefusedAloneAndStepsCarryGraphsStepHeaders() {
        String batch = """
                {"requests":[
                  {"id":"1","method":"GET","url":"/me/mailFolders/inbox"},
                  {"id":"2","method":"PATCH","url":"/me/messages/AAMkAGAny","body":{"isRead":true}},
                  {"id":"3","method":"GET","url":"/me/messages/AAMkAGNoSuchMessage"}
                ]}""";
        HttpResponse<String> answer = graph.call("POST", "/$batch", token, batch, "client-request-id", "7d0a4c1e-0000-4000-8000-000000000002");

        assertEquals(200, answer.statusCode());
        assertTrue(isGuid(header(answer, "request-id")));
        JsonNode steps = RawGraph.json(answer).path("responses");
        JsonNode folder = step(steps, "1");
        assertEquals(200, folder.path("status").asInt());
        assertEquals(ODATA_JSON, folder.path("headers").path("Content-Type").asText());
        assertEquals("4.0", folder.path("headers").path("OData-Version").asText());
        assertFalse(folder.path("headers").has("request-id"), "ids are the batch's headers, not a step's");
        JsonNode refused = step(steps, "2");
        assertEquals(400, refused.path("status").asInt());
        assertTrue(refused.path("body").path("error").path("message").asText().contains("Content-Type header is required when body is specified"));
        JsonNode missing = step(steps, "3");
        assertEquals(404, missing.path("status").asInt());
        assertEquals("7d0a4c1e-0000-4000-8000-000000000002", missing.path("body").path("error").path("innerError").path("client-request-id").asText());
        assertTrue(isGuid(missing.path("body").path("error").path("innerError").path("request-id").asText()));
    }

    @Test
    void theGraphSdkNamesTheContentTypeOfABatchStepWithABody() throws Exception {
        String id = sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), "batched", "body")).get(0).restId();
        GraphServiceClient sdk = clients.graph(token);
        Message read = new Message();
        read.setIsRead(true);
        BatchRequestContent batch = new BatchRequestContent(sdk);
        String step = batch.addBatchRequestStep(sdk.users().byUserId(adele.id()).messages().byMessageId(id).toPatchRequestInformation(read));

        BatchResponseContent responses = sdk.getBatchRequestBuilder().post(batch, null);

        assertEquals(200, responses.getResponsesStatusCode().get(step));
        assertTrue(sandbox.exchange().mailbox(adele.id()).get(id).orElseThrow().isRead());
    }

    private static JsonNode step(JsonNode steps, String id) {
        for (JsonNode step : steps) {
            if (step.path("id").asText().equals(id)) {
                return step;
            }
        }
        throw new AssertionError("no step " + id + " in " + steps);
    }

    @Test
    void everyChangeAndLifecycleNotificationHasItsOwnTopLevelId() throws Exception {
        try (WebhookReceiver webhook = new WebhookReceiver(sandbox.tls().issueServerContext())) {
            String expiration = sandbox.clock().now().atOffset(ZoneOffset.UTC).plusHours(1).toString();
            HttpResponse<String> created = graph.call("POST", "/subscriptions", token, """
                    {"changeType":"created","notificationUrl":"%s","lifecycleNotificationUrl":"%s",
                     "resource":"me/mailFolders('Inbox')/messages","expirationDateTime":"%s","clientState":"wire"}"""
                    .formatted(webhook.url("/api/graph/webhook"), webhook.url("/api/graph/lifecycle"), expiration));
            assertEquals(201, created.statusCode(), created.body());
            String subscriptionId = RawGraph.json(created).path("id").asText();

            sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), "one", "body"));
            sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), "two", "body"));
            sandbox.exchange().subscriptions().lifecycle(subscriptionId, LifecycleEvent.REAUTHORIZATION_REQUIRED);
            Polling.await("two notifications and a lifecycle event", Duration.ofSeconds(10)).until(() -> webhook.items().size() >= 3);

            List<JsonNode> items = webhook.items().stream().filter(item -> item.path("subscriptionId").asText().equals(subscriptionId)).toList();
            assertEquals(3, items.size(), items.toString());
            assertTrue(items.stream().allMatch(item -> !item.path("id").asText().isBlank()), items.toString());
            assertEquals(3, items.stream().map(item -> item.path("id").asText()).distinct().count(), "each notification its own id");
            assertTrue(items.stream().anyMatch(item -> item.has("lifecycleEvent")));
        }
    }
}
