package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.exchange.NewMessage;
import io.mailbridge.testkit.Polling;
import io.mailbridge.testkit.UniqueNames;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events reach the CRM however it answers: retried while it fails, dead-lettered when it refuses, replayable by operators. */
@ExtendWith(StackExtension.class)
class CrmDeliveryIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aFailingCrmGetsTheEventLaterAndARefusedEventWaitsForAReplay(Stack stack) {
        Connecting connecting = new Connecting(stack);
        MailboxApi api = new MailboxApi(stack);
        String account = UniqueNames.next("crm");
        SandboxUser alex = stack.sandbox().user("alex.wilber@contoso.example");
        SandboxUser joni = stack.sandbox().user("joni.sherman@contoso.example");
        for (SandboxUser user : List.of(alex, joni)) {
            String userId = user.userPrincipalName().substring(0, user.userPrincipalName().indexOf('@'));
            connecting.connect(connecting.link(account, userId, user, List.of("Connect to mailbox"), "US"), "TWO_WAY", user, "accept");
        }
        String prospect = "buyer." + account + "@buyers.example";
        api.call("POST", "/api/accounts/" + account + "/prospects", "{\"upsert\":[\"" + prospect + "\"]}");

        // One mail to two connected users of the account: each CRM user gets it, once.
        stack.crm().failNext(2, 503);
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(alex.userPrincipalName(), joni.userPrincipalName()),
                "to both " + account, "Hello both"));
        List<CrmEvent> both = stack.crm().awaitEvents(2, e -> e.accountId().equals(account)
                && e.data().path("subject").asText().equals("to both " + account), PATIENCE);
        assertEquals(List.of("alex.wilber", "joni.sherman"), both.stream().map(CrmEvent::userId).sorted().toList());
        assertTrue(both.stream().allMatch(e -> stack.crm().timesReceived(e.id()) == 1));
        assertTrue(stack.crm().deliveries().stream().anyMatch(d -> d.outcome().status() == 503), "the CRM did fail first");

        stack.crm().failNext(1, 400);
        stack.sandbox().exchange().deliver(NewMessage.simple(prospect, List.of(alex.userPrincipalName()), "refused " + account, "Hi"));
        JsonNode letter = awaitDeadLetter(stack, connecting, "refused " + account);
        assertEquals("the CRM answered 400", letter.get("reason").asText());

        HttpResponse<String> replay = connecting.web().send(HttpRequest.newBuilder(stack.appBaseUrl().resolve("api/ops/dead-letters/"
                + URLEncoder.encode(letter.get("eventId").asText(), StandardCharsets.UTF_8).replace("+", "%20") + "/replay"))
                .header("x-functions-key", Stack.MASTER_KEY).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, replay.statusCode(), replay.body());
        CrmEvent replayed = stack.crm().awaitEvent(e -> e.data().path("subject").asText().equals("refused " + account), PATIENCE);
        assertEquals(letter.get("eventId").asText(), replayed.id());
    }

    /** The dead letter of the event the CRM refused (the refused POST's body names the event id). */
    private static JsonNode awaitDeadLetter(Stack stack, Connecting connecting, String subject) {
        return Polling.await("a dead letter for " + subject, PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> deadLetter(stack, connecting, subject), Optional::isPresent).orElseThrow();
    }

    private static Optional<JsonNode> deadLetter(Stack stack, Connecting connecting, String subject) {
        String refusedId = stack.crm().deliveries().stream()
                .filter(d -> d.outcome().status() == 400 && d.body().contains(subject))
                .map(d -> MailboxApi.json(d.body()).get("id").asText()).findFirst().orElse(null);
        if (refusedId == null) {
            return Optional.empty();
        }
        HttpResponse<String> listed = connecting.web().send(HttpRequest.newBuilder(stack.appBaseUrl().resolve("api/ops/dead-letters"))
                .header("x-functions-key", Stack.MASTER_KEY).GET());
        for (JsonNode letter : MailboxApi.json(listed.body()).get("deadLetters")) {
            if (letter.get("eventId").asText().equals(refusedId)) {
                return Optional.of(letter);
            }
        }
        return Optional.empty();
    }
}
