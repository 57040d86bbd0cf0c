package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import com.sun.net.httpserver.HttpServer;
import io.mailbridge.http.Json;
import io.mailbridge.support.EveryFailure;
import io.mailbridge.support.NoTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph's documented error answers, served on loopback and read by the real Graph SDK, classified as the product
 * acts on them. Payloads follow Microsoft Graph error responses (learn.microsoft.com/graph/errors), the throttling
 * guidance (429 with Retry-After), KB 4462988 (MailboxNotEnabledForRESTAPI) and delta query (410 syncStateNotFound).
 */
class MicrosoftFailureTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private static final String REQUEST_ID = "bb7c6b7e-2b8d-4ee3-836c-fa773f3c563d";
    private static final String CLIENT_REQUEST_ID = "3c2f1b5e-9a8d-4c7b-b6a5-0f1e2d3c4b5a";

    private HttpServer server;
    private volatile Answer answer;
    private GraphServiceClient graph;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /** What the loopback Graph answers next. */
    private record Answer(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void serveGraph() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Answer next = answer;
            byte[] body = next.body() == null ? new byte[0] : next.body().getBytes(StandardCharsets.UTF_8);
            next.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(next.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        graph = client(server.getAddress().getPort());
        MicrosoftFailure.LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        MicrosoftFailure.LOG.removeHandler(capture);
        server.stop(0);
    }

    @Test
    void aMailboxGraphCannotServeIsUnusableWithTheRequestIdsSupportQuotes() {
        MicrosoftFailure failure = failureOf(404, Map.of("request-id", REQUEST_ID, "client-request-id", CLIENT_REQUEST_ID),
                error("MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise."));

        MicrosoftFailure.MailboxUnusable unusable = assertInstanceOf(MicrosoftFailure.MailboxUnusable.class, failure);
        assertEquals(new MicrosoftFailure.Details(404, "MailboxNotEnabledForRESTAPI",
                "The mailbox is either inactive, soft-deleted, or is hosted on-premise.", REQUEST_ID, CLIENT_REQUEST_ID), unusable.details());
        assertInstanceOf(MicrosoftFailure.MailboxUnusable.class,
                failureOf(404, Map.of(), error("MailboxNotSupportedForRESTAPI", "REST API is not yet supported for this mailbox.")));
    }

    @Test
    void everyFailureIsLoggedAtWarningWithGraphsRequestIdAndClientRequestId() {
        failureOf(403, Map.of("request-id", REQUEST_ID, "client-request-id", CLIENT_REQUEST_ID),
                error("ErrorAccessDenied", "Access is denied. Check credentials and try again."));

        LogRecord record = logged.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        String line = record.getMessage();
        assertTrue(line.contains("request-id " + REQUEST_ID), line);
        assertTrue(line.contains("client-request-id " + CLIENT_REQUEST_ID), line);
        assertTrue(line.contains("AccessDenied") && line.contains("403 ErrorAccessDenied"), line);
    }

    @Test
    void theRequestIdsComeFromTheInnerErrorWhenTheHeadersLackThem() {
        MicrosoftFailure failure = failureOf(404, Map.of(), error("ErrorItemNotFound", "The specified object was not found in the store."));

        assertInstanceOf(MicrosoftFailure.NotFound.class, failure);
        assertEquals(REQUEST_ID, failure.details().requestId());
        assertEquals(CLIENT_REQUEST_ID, failure.details().clientRequestId());
    }

    @Test
    void throttlingWaitsForRetryAfterWholeFractionalOrADate() {
        String throttled = error("TooManyRequests", "Please retry again later.");

        MicrosoftFailure whole = failureOf(429, Map.of("Retry-After", "10"), throttled);
        MicrosoftFailure fraction = failureOf(429, Map.of("Retry-After", "2.128"), throttled);
        // An HTTP-date counts from the answer's own Date (the server's clock, now), not from ours (CLOCK, a day off).
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
        MicrosoftFailure date = failureOf(429, Map.of("Retry-After", inNinetySeconds), throttled);
        MicrosoftFailure none = failureOf(429, Map.of(), throttled);

        assertEquals(new MicrosoftFailure.Throttled(whole.details(), Optional.of(Duration.ofSeconds(10))), whole);
        assertEquals(Optional.of(Duration.ofMillis(2_128)), assertInstanceOf(MicrosoftFailure.Throttled.class, fraction).retryAfter());
        Duration untilDate = date.retryAfter().orElseThrow();
        assertTrue(untilDate.compareTo(Duration.ofSeconds(89)) >= 0 && untilDate.compareTo(Duration.ofSeconds(91)) <= 0, untilDate.toString());
        assertEquals(Optional.empty(), assertInstanceOf(MicrosoftFailure.Throttled.class, none).retryAfter());
    }

    @Test
    void aThrottledSendMailKeepsItsRetryAfter() {
        answer = new Answer(429, Map.of("Retry-After", "7", "Content-Type", "application/json"),
                error("TooManyRequests", "Too many requests. Please retry after the time in the Retry-After header."));
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(new Message());

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> graph.me().sendMail().post(body));

        MicrosoftFailure failure = MicrosoftFailure.ofGraphCall(thrown, CLOCK).orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(7)), assertInstanceOf(MicrosoftFailure.Throttled.class, failure).retryAfter());
    }

    @Test
    void exchangesSpentSendingQuotaIsNotMereThrottling() {
        MicrosoftFailure failure = failureOf(429, Map.of("Retry-After", "3600"), error("ErrorQuotaExceeded",
                "The mailbox has exceeded its sending limit. 554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"));
        MicrosoftFailure byExchangesWords = failureOf(403, Map.of(), error("ErrorMessageSubmissionBlocked",
                "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"));

        assertEquals(Optional.of(Duration.ofHours(1)), assertInstanceOf(MicrosoftFailure.QuotaSpent.class, failure).retryAfter());
        assertInstanceOf(MicrosoftFailure.QuotaSpent.class, byExchangesWords);
        assertInstanceOf(MicrosoftFailure.QuotaSpent.class, failureOf(400, Map.of(), error("ErrorExceededMessageLimit", "Sending limit exceeded.")));
    }

    @Test
    void serverErrorsAreTransientAndKeepAServiceUnavailablesRetryAfter() {
        MicrosoftFailure unavailable = failureOf(503, Map.of("Retry-After", "30"), error("serviceNotAvailable", "Service unavailable."));
        MicrosoftFailure gateway = failureOf(504, Map.of(), error("UnknownError", ""));
        MicrosoftFailure htmlFromAProxy = failureOf(502, Map.of("Content-Type", "text/html"), "<html><body>Bad gateway</body></html>");

        assertEquals(Optional.of(Duration.ofSeconds(30)), assertInstanceOf(MicrosoftFailure.Transient.class, unavailable).retryAfter());
        assertInstanceOf(MicrosoftFailure.Transient.class, gateway);
        assertEquals("http_502", assertInstanceOf(MicrosoftFailure.Transient.class, htmlFromAProxy).details().code());
    }

    @Test
    void waitingDoesNotFixNotImplementedNorAFullMailboxStore() {
        assertInstanceOf(MicrosoftFailure.Refused.class, failureOf(501, Map.of(), error("notSupported", "Not implemented.")));
        assertInstanceOf(MicrosoftFailure.Refused.class, failureOf(507, Map.of(), error("ErrorInsufficientStorage", "Storage quota reached.")));
    }

    @Test
    void aTokenGraphRefusesMeansSigningInAgain() {
        assertInstanceOf(MicrosoftFailure.Reauthenticate.class, failureOf(401, Map.of(),
                error("InvalidAuthenticationToken", "Access token has expired or is not yet valid.")));
    }

    @Test
    void permissionsPoliciesAndConditionalAccessAreAccessDenied() {
        assertInstanceOf(MicrosoftFailure.AccessDenied.class, failureOf(403, Map.of(), error("ErrorAccessDenied",
                "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.")));
        assertInstanceOf(MicrosoftFailure.AccessDenied.class, failureOf(403, Map.of(), error("Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.")));
    }

    @Test
    void anExpiredDeltaTokenRequiresAResync() {
        assertInstanceOf(MicrosoftFailure.ResyncRequired.class, failureOf(410, Map.of(), error("syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.")));
        assertInstanceOf(MicrosoftFailure.ResyncRequired.class, failureOf(410, Map.of(), error("resyncRequired",
                "The sync state is invalid, restart the synchronization.")));
        assertInstanceOf(MicrosoftFailure.ResyncRequired.class, failureOf(410, Map.of(), null));
    }

    @Test
    void onlyANotFoundItemCountsAsGone() {
        for (MicrosoftFailure failure : EveryFailure.ofEveryKind(Duration.ofSeconds(1))) {
            assertEquals(failure.getClass() == MicrosoftFailure.NotFound.class, failure.isNotFound(), failure.summary());
        }
    }

    @Test
    void aBadRequestIsRefusedWithMicrosoftsWordsShortened() {
        String longMessage = "At least one recipient is not valid. " + "x".repeat(500);
        MicrosoftFailure failure = failureOf(400, Map.of(), error("ErrorInvalidRecipients", longMessage));

        assertInstanceOf(MicrosoftFailure.Refused.class, failure);
        assertEquals(MicrosoftFailure.Details.MESSAGE_LIMIT + 1, failure.details().message().length());
        assertTrue(failure.summary().startsWith("Refused: 400 ErrorInvalidRecipients: At least one recipient is not valid."));
    }

    @Test
    void graphNotAnsweringIsTransientAndABugIsNoMicrosoftFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        GraphServiceClient nobodyThere = client(closedPort);

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> nobodyThere.me().get());
        MicrosoftFailure failure = MicrosoftFailure.ofGraphCall(thrown, CLOCK).orElseThrow();
        assertEquals("unreachable", assertInstanceOf(MicrosoftFailure.Transient.class, failure).details().code());

        assertEquals(Optional.empty(), MicrosoftFailure.ofGraphCall(new IllegalStateException("a bug"), CLOCK));
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> MicrosoftException.calling(() -> {
            throw bug;
        })));
    }

    @Test
    void aFailureAlreadyClassifiedPassesThroughUnchanged() {
        MicrosoftException known = new MicrosoftException(new MicrosoftFailure.Reauthenticate(MicrosoftFailure.Details.local("no_tokens", "none")));

        assertSame(known, MicrosoftException.of(known));
        assertSame(known.failure(), MicrosoftFailure.ofGraphCall(known, CLOCK).orElseThrow());
        assertEquals("no_tokens", known.errorCode());
    }

    @Test
    void batchStepsAreReadLikeSingleRequestsFromTheirOwnStatusHeadersAndBody() throws Exception {
        BatchRequestContent batch = new BatchRequestContent(graph);
        List<String> steps = new ArrayList<>();
        for (String id : List.of("AAMkAD1", "AAMkAD2", "AAMkAD3", "AAMkAD4", "AAMkAD5")) {
            steps.add(batch.addBatchRequestStep(graph.users().byUserId("ada").messages().byMessageId(id).toGetRequestInformation()));
        }
        answer = new Answer(200, Map.of("Content-Type", "application/json"), null);
        server.removeContext("/");
        server.createContext("/", exchange -> {
            JsonNode requests = Json.MAPPER.readTree(exchange.getRequestBody()).path("requests");
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode responses = body.putArray("responses");
            responses.add(step(requests.get(0), 200, Map.of("Content-Type", "application/json"), Json.MAPPER.readTree(
                    "{\"id\":\"AAMkAD1\",\"subject\":\"Hello\"}")));
            responses.add(step(requests.get(1), 404, Map.of("Content-Type", "application/json"),
                    Json.MAPPER.readTree(error("ErrorItemNotFound", "The specified object was not found in the store."))));
            responses.add(step(requests.get(2), 429, Map.of("Retry-After", "2.5", "Content-Type", "application/json"),
                    Json.MAPPER.readTree(error("ApplicationThrottled", "Application is over its MailboxConcurrency limit."))));
            responses.add(step(requests.get(3), 404, Map.of("Content-Type", "application/json"),
                    Json.MAPPER.readTree(error("MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise."))));
            responses.add(step(requests.get(4), 503, Map.of(), null));
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });

        BatchResponseContent answered = graph.getBatchRequestBuilder().post(batch, null);
        Map<String, Integer> statuses = answered.getResponsesStatusCode();

        assertEquals("Hello", answered.getResponseById(steps.get(0), Message::createFromDiscriminatorValue).getSubject());
        MicrosoftFailure notFound = MicrosoftFailure.ofBatchStep(answered, steps.get(1), statuses.get(steps.get(1)), CLOCK);
        assertEquals(new MicrosoftFailure.NotFound(new MicrosoftFailure.Details(404, "ErrorItemNotFound",
                "The specified object was not found in the store.", REQUEST_ID, CLIENT_REQUEST_ID)), notFound);
        MicrosoftFailure throttled = MicrosoftFailure.ofBatchStep(answered, steps.get(2), statuses.get(steps.get(2)), CLOCK);
        assertEquals(Optional.of(Duration.ofMillis(2_500)), assertInstanceOf(MicrosoftFailure.Throttled.class, throttled).retryAfter());
        assertInstanceOf(MicrosoftFailure.MailboxUnusable.class,
                MicrosoftFailure.ofBatchStep(answered, steps.get(3), statuses.get(steps.get(3)), CLOCK));
        assertInstanceOf(MicrosoftFailure.Transient.class,
                MicrosoftFailure.ofBatchStep(answered, steps.get(4), statuses.get(steps.get(4)), CLOCK));
        assertInstanceOf(MicrosoftFailure.Transient.class, MicrosoftFailure.ofBatchStep(answered, "no-such-step", 500, CLOCK),
                "a step missing from the answer is Graph's failure");
    }

    @Test
    void detailsNeverCarryMoreThanMicrosoftsFirstLine() {
        MicrosoftFailure.Details details = new MicrosoftFailure.Details(400, null, "first line\r\nTrace ID: abc", null, null);

        assertEquals("http_400", details.code());
        assertEquals("first line", details.message());
        assertFalse(details.toString().contains("Trace ID"));
    }

    private MicrosoftFailure failureOf(int status, Map<String, String> headers, String body) {
        Map<String, String> withType = new java.util.HashMap<>(headers);
        if (body != null) {
            withType.putIfAbsent("Content-Type", "application/json");
        }
        answer = new Answer(status, withType, body);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> graph.me().messages().get());
        return MicrosoftFailure.ofGraphCall(thrown, CLOCK).orElseThrow(() -> new AssertionError("not classified", thrown));
    }

    /** Graph's error JSON, with the innerError Graph adds to every answer. */
    private static String error(String code, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", "2026-12-02T10:00:00");
        inner.put("request-id", REQUEST_ID);
        inner.put("client-request-id", CLIENT_REQUEST_ID);
        return root.toString();
    }

    private static ObjectNode step(JsonNode request, int status, Map<String, String> headers, JsonNode body) {
        ObjectNode step = Json.MAPPER.createObjectNode();
        step.put("id", request.path("id").asText());
        step.put("status", status);
        ObjectNode stepHeaders = step.putObject("headers");
        headers.forEach(stepHeaders::put);
        if (body != null) {
            step.set("body", body);
        }
        return step;
    }

    /** The product's own Graph clients, pointed at the loopback Graph. */
    private static GraphServiceClient client(int port) {
        return new GraphClients(URI.create("http://127.0.0.1:" + port + "/v1.0"), new MicrosoftHttp(TrustMaterial.of(Optional.empty())),
                NoTelemetry.TELEMETRY, Clock.systemUTC()).withToken(() -> "token");
    }
}
