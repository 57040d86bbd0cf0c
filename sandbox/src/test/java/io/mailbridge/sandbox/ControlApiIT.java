package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP control API and the people pages, as another process or a person uses them. */
@ExtendWith(SandboxExtension.class)
class ControlApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deliveringOverHttpStoresTheMailAndTheSummaryListsRoutesAndUsers(Sandbox sandbox) throws Exception {
        SandboxClients clients = new SandboxClients(sandbox);
        String mail = "{\"from\":\"prospect@example.org\",\"to\":[\"sales@contoso.example\"],\"subject\":\"Quote\",\"body\":\"Hi\",\"headers\":{\"x-crm\":\"1\"}}";

        JsonNode delivered = JSON.readTree(clients.send(HttpRequest.newBuilder(URI.create(sandbox.controlUrl() + "/deliver"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(mail)).build()).body());
        JsonNode summary = JSON.readTree(clients.get(sandbox.controlUrl()).body());

        assertEquals(1, delivered.path("delivered").size());
        assertEquals("inbox", delivered.path("delivered").get(0).path("folder").asText());
        assertTrue(sandbox.exchange().mailbox("adele.vance@contoso.example").all().stream().anyMatch(message -> "Quote".equals(message.subject())));
        List<String> listed = new ArrayList<>();
        summary.path("users").forEach(user -> listed.add(user.path("userPrincipalName").asText()));
        assertEquals(sandbox.users().stream().map(SandboxUser::userPrincipalName).toList(), listed);
        assertTrue(listed.contains("adele.vance@contoso.example") && listed.contains("lynne.robbins@fabrikam.example"));
        assertTrue(summary.path("controlRoutes").size() > 10);
    }

    @Test
    void thePeoplePageDeliversAndEscapesWhatItShows(Sandbox sandbox) {
        SandboxClients clients = new SandboxClients(sandbox);

        var answer = clients.postForm(sandbox.pagesUrl() + "/deliver", Map.of("from", "p@example.org", "to", "alex.wilber@contoso.example",
                "subject", "<img src=x onerror=alert(1)>", "body", "b"));
        String mailbox = clients.get(sandbox.pagesUrl() + "/mailboxes/" + sandbox.user("alex.wilber@contoso.example").id()).body();

        assertEquals(302, answer.statusCode());
        assertTrue(mailbox.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertFalse(mailbox.contains("<img"));
    }
}
