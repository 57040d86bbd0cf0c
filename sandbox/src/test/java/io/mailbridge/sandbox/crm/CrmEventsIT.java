package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The app's side of event delivery, played by java.net.http against the stand-in over loopback. */
class CrmEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-05-01T10:20:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CrmStandIn crm;

    @BeforeEach
    void startCrm() {
        crm = CrmStandIn.start(CrmConfig.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void stopCrm() {
        crm.close();
    }

    @Test
    void acceptsASignedEventAndRecordsRawBodyParsedJsonHeadersAndArrival() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        HttpResponse<String> response = SignedPost.event(crm, "evt-1", body, NOW).send();

        assertEquals(200, response.statusCode());
        assertEquals(JSON.readTree("{\"id\":\"evt-1\",\"duplicate\":false}"), JSON.readTree(response.body()));
        CrmEvent event = crm.events().get(0);
        assertEquals("evt-1", event.id());
        assertEquals("email.received", event.type());
        assertEquals("acct-1", event.accountId());
        assertEquals("user-1", event.userId());
        assertEquals(Instant.parse("2025-05-01T10:15:30Z"), event.occurredAt());
        assertEquals("Pricing", event.data().get("subject").asText());
        assertEquals(body, event.body());
        assertEquals(JSON.readTree(body), event.json());
        assertEquals(Long.toString(NOW.getEpochSecond()), event.headers().first("x-mailbridge-timestamp").orElseThrow());
        assertEquals(NOW, event.receivedAt());
        assertEquals(List.of(event), crm.eventsFor("acct-1", "user-1"));
        assertEquals(List.of(), crm.eventsFor("acct-1", "someone-else"));
        assertEquals(1, crm.timesReceived("evt-1"));
    }

    @Test
    void aRepeatIsAnswered200ButStoredOnce() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        SignedPost.event(crm, "evt-1", body, NOW).send();
        HttpResponse<String> repeat = SignedPost.event(crm, "evt-1", body, NOW.plusSeconds(60)).send();

        assertEquals(200, repeat.statusCode());
        assertTrue(JSON.readTree(repeat.body()).get("duplicate").asBoolean());
        assertEquals(1, crm.events().size());
        assertEquals(2, crm.timesReceived("evt-1"));
        List<CrmDelivery> deliveries = crm.deliveries();
        assertInstanceOf(CrmOutcome.Accepted.class, deliveries.get(0).outcome());
        assertEquals(new CrmOutcome.Repeated("evt-1"), deliveries.get(1).outcome());
    }

    @Test
    void refusesAWrongSignatureWith401AndAProblemBody() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        HttpResponse<String> response = SignedPost.event(crm, "evt-1", body, NOW).signedWith("a-guessed-secret").send();

        assertRefused(response, 401, "X-Mailbridge-Signature does not match");
        assertEquals(0, crm.timesReceived("evt-1"));
    }

    @Test
    void refusesABodyChangedAfterSigning() throws Exception {
        String signed = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");
        String tampered = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing (changed)");
        String seconds = Long.toString(NOW.getEpochSecond());

        HttpResponse<String> response = SignedPost.event(crm, "evt-1", tampered, NOW)
                .header("X-Mailbridge-Signature", SignedPost.signature(crm.signingSecret(), seconds, signed))
                .send();

        assertRefused(response, 401, "X-Mailbridge-Signature does not match");
    }

    @Test
    void refusesTimestampsMoreThanFiveMinutesAwayEitherWay() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        assertRefused(SignedPost.event(crm, "evt-1", body, NOW.minusSeconds(301)).send(), 401, "301 s away");
        assertRefused(SignedPost.event(crm, "evt-1", body, NOW.plusSeconds(301)).send(), 401, "301 s away");
        assertEquals(200, SignedPost.event(crm, "evt-1", body, NOW.minusSeconds(300)).send().statusCode());
        assertEquals(2, crm.refusals().size());
    }

    @Test
    void refusesMissingOrMalformedSignatureHeaders() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        for (String header : List.of("X-Mailbridge-Event-Id", "X-Mailbridge-Timestamp", "X-Mailbridge-Signature")) {
            assertRefused(SignedPost.event(crm, "evt-1", body, NOW).without(header).send(), 401,
                    header + " must be sent exactly once");
        }
        assertRefused(SignedPost.event(crm, "evt-1", body, NOW).header("X-Mailbridge-Timestamp", "2025-05-01T10:20:00Z").send(),
                401, "X-Mailbridge-Timestamp must be Unix seconds");
        assertEquals(4, crm.refusals().size());
        assertTrue(crm.events().isEmpty());
    }

    @Test
    void refusesAuthenticButMalformedEventsWith400NamingTheProblem() throws Exception {
        String valid = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");

        assertRefused(SignedPost.event(crm, "evt-1", "{\"id\": \"evt-1\",", NOW).send(), 400, "not valid JSON");
        assertRefused(SignedPost.event(crm, "evt-1", "[]", NOW).send(), 400, "must be a JSON object");
        assertRefused(SignedPost.event(crm, "evt-1", valid.replace("\"userId\":\"user-1\",", ""), NOW).send(),
                400, "Field 'userId'");
        assertRefused(SignedPost.event(crm, "evt-1", valid.replace("\"2025-05-01T10:15:30Z\"", "\"yesterday\""), NOW).send(),
                400, "Field 'occurredAt'");
        assertRefused(SignedPost.event(crm, "evt-1", valid.replaceFirst("\"data\":\\{.*}", "\"data\":[]}"), NOW).send(),
                400, "Field 'data'");
        assertRefused(SignedPost.event(crm, "evt-1", valid.replace("{\"id\":\"evt-1\",", "{\"id\":\"evt-1\",\"id\":\"evt-2\","), NOW).send(),
                400, "not valid JSON");
        assertRefused(SignedPost.event(crm, "evt-other", valid, NOW).send(), 400, "does not match the body's id 'evt-1'");
        assertTrue(crm.events().isEmpty());
    }

    @Test
    void failNextAnswersTheNextEventsWithTheStatusAndStoresNothingUntilTheyAreUsedUp() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");
        crm.failNext(2, 503);

        assertEquals(503, SignedPost.event(crm, "evt-1", body, NOW).send().statusCode());
        assertEquals(503, SignedPost.event(crm, "evt-1", body, NOW).send().statusCode());
        assertEquals(200, SignedPost.event(crm, "evt-1", body, NOW).send().statusCode());

        assertEquals(List.of(503, 503, 200), crm.deliveries().stream().map(d -> d.outcome().status()).toList());
        assertInstanceOf(CrmOutcome.Failed.class, crm.deliveries().get(0).outcome());
        assertEquals(1, crm.timesReceived("evt-1"));
    }

    @Test
    void resetDropsFailuresNotYetServed() throws Exception {
        crm.failNext(3, 500);
        crm.reset();

        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");
        assertEquals(200, SignedPost.event(crm, "evt-1", body, NOW).send().statusCode());
    }

    @Test
    void slowNextStoresTheEventButAnswersOnlyAfterTheDelay() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");
        crm.slowNext(1, Duration.ofMillis(400));

        long started = System.nanoTime();
        HttpResponse<String> response = SignedPost.event(crm, "evt-1", body, NOW).send();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(200, response.statusCode());
        assertTrue(took.compareTo(Duration.ofMillis(400)) >= 0, "answered after " + took);
        assertEquals(1, crm.timesReceived("evt-1"));
    }

    @Test
    void anAnswerTooSlowForTheAppStillStoresTheEventSoItsRetryIsARepeat() throws Exception {
        String body = SignedPost.emailReceived("evt-1", "acct-1", "user-1", "Pricing");
        crm.slowNext(1, Duration.ofMinutes(1));

        assertThrows(HttpTimeoutException.class,
                () -> SignedPost.event(crm, "evt-1", body, NOW).timeout(Duration.ofMillis(300)).send());
        crm.awaitEvent(event -> event.id().equals("evt-1"), WAIT);
        HttpResponse<String> retry = SignedPost.event(crm, "evt-1", body, NOW).send();

        assertTrue(JSON.readTree(retry.body()).get("duplicate").asBoolean());
        assertEquals(1, crm.events().size());
        assertEquals(2, crm.timesReceived("evt-1"));
    }

    @Test
    void awaitEventsReturnsOnceEnoughMatchingEventsArrive() throws Exception {
        CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 1; i <= 3; i++) {
                    String id = "evt-" + i;
                    SignedPost.event(crm, id, SignedPost.emailReceived(id, "acct-1", "user-1", "n" + i), NOW).send();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        List<CrmEvent> events = crm.awaitEvents(3, event -> event.accountId().equals("acct-1"), WAIT);

        assertEquals(List.of("evt-1", "evt-2", "evt-3"), events.stream().map(CrmEvent::id).toList());
        posting.join();
    }

    @Test
    void awaitEventFailsTheTestAtItsDeadline() {
        AssertionError timedOut = assertThrows(AssertionError.class,
                () -> crm.awaitEvent(event -> true, Duration.ofMillis(50)));

        assertTrue(timedOut.getMessage().contains("found 0 among 0 stored, after 0 deliveries"), timedOut.getMessage());
    }

    private void assertRefused(HttpResponse<String> response, int status, String reasonPart) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains(reasonPart), problem.toString());
        CrmDelivery last = crm.deliveries().get(crm.deliveries().size() - 1);
        CrmOutcome.Refused refused = assertInstanceOf(CrmOutcome.Refused.class, last.outcome());
        assertEquals(status, refused.status());
        assertEquals(problem.get("detail").asText(), refused.reason());
    }
}
