package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What tests and people read from the CRM stand-in: prospect lists, stored events, per-user pages. */
@ExtendWith(CrmStandInExtension.class)
class CrmReadApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void prospectListsAreReadableAndReplaceableAsJson(CrmStandIn crm) throws Exception {
        crm.setProspects("acct 1", List.of("Bea@Fabrikam.test", "cal@contoso.test"));

        JsonNode read = JSON.readTree(get(crm.prospectsUrl("acct 1")).body());
        assertEquals(JSON.readTree("{\"accountId\":\"acct 1\",\"prospects\":[\"bea@fabrikam.test\",\"cal@contoso.test\"]}"), read);

        HttpResponse<String> replaced = put(crm.prospectsUrl("acct 1"), "{\"prospects\":[\"dan@northwind.test\"]}");
        assertEquals(200, replaced.statusCode());
        assertEquals(List.of("dan@northwind.test"), List.copyOf(crm.prospects("acct 1")));

        crm.addProspects("acct 1", List.of("eve@northwind.test"));
        crm.removeProspects("acct 1", List.of("DAN@northwind.test"));
        assertEquals(List.of("eve@northwind.test"), List.copyOf(crm.prospects("acct 1")));
    }

    @Test
    void refusesProspectListsThatAreNotListsOfAddresses(CrmStandIn crm) throws Exception {
        crm.setProspects("acct-1", List.of("bea@fabrikam.test"));

        for (String body : List.of("{\"prospects\":\"bea@fabrikam.test\"}", "{\"prospects\":[1]}",
                "{\"prospects\":[\"not an address\"]}", "not json")) {
            HttpResponse<String> response = put(crm.prospectsUrl("acct-1"), body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("application/problem+json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        }
        assertEquals(List.of("bea@fabrikam.test"), List.copyOf(crm.prospects("acct-1")));
    }

    @Test
    void storedEventsAreReadableAsJsonFilteredByAccountAndUser(CrmStandIn crm) throws Exception {
        post(crm, "evt-1", "acct-1", "user-1", "one");
        post(crm, "evt-2", "acct-1", "user-2", "two");
        post(crm, "evt-1", "acct-1", "user-1", "one");

        JsonNode all = JSON.readTree(get(crm.eventsUrl()).body());
        JsonNode forUser1 = JSON.readTree(get(URI.create(crm.eventsUrl() + "?accountId=acct-1&userId=user-1")).body());

        assertEquals(2, all.size());
        assertEquals(1, forUser1.size());
        assertEquals("evt-1", forUser1.get(0).get("id").asText());
        assertEquals(2, forUser1.get(0).get("timesReceived").asInt());
        assertEquals("one", forUser1.get(0).get("event").get("data").get("subject").asText());
    }

    @Test
    void userPageShowsThatUsersEventsWithHostileValuesEscaped(CrmStandIn crm) throws Exception {
        String hostile = "<script>alert('x')</script> & \"quotes\"";
        post(crm, "evt-1", "acct-1", "user-1", hostile);
        post(crm, "evt-2", "acct-1", "user-2", "For someone else");

        HttpResponse<String> page = get(crm.userPageUrl("acct-1", "user-1"));

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'none'"));
        String html = page.body();
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("email.received"), html);
        assertTrue(html.contains("From: Bea Buyer &lt;bea@fabrikam.test&gt;"), html);
        assertFalse(html.contains("For someone else"), html);
    }

    @Test
    void indexLinksEveryUsersPage(CrmStandIn crm) throws Exception {
        post(crm, "evt-1", "acct-1", "user 1", "one");

        String html = get(crm.baseUrl()).body();

        assertTrue(html.contains("href=\"/accounts/acct-1/users/user%201\""), html);
        assertEquals(200, get(crm.baseUrl().resolve("/accounts/acct-1/users/user%201")).statusCode());
    }

    @Test
    void unknownPathsAre404AndWrongMethods405(CrmStandIn crm) throws Exception {
        assertEquals(404, get(crm.baseUrl().resolve("/nothing-here")).statusCode());

        HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(crm.eventsUrl()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, deleted.statusCode());
        assertEquals("GET, POST", deleted.headers().firstValue("Allow").orElseThrow());
    }

    private static void post(CrmStandIn crm, String id, String account, String user, String subject) throws Exception {
        HttpResponse<String> response = SignedPost.event(crm, id, SignedPost.emailReceived(id, account, user, subject),
                Instant.now()).send();
        assertEquals(200, response.statusCode(), response.body());
    }

    private static HttpResponse<String> get(URI url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(URI url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
