package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrmPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsSubjectTypeTimeAndParticipantsInTheirCommonShapes() throws Exception {
        CrmEvent event = event("""
                {"id":"e1","type":"email.received","accountId":"a","userId":"u","occurredAt":"2025-05-01T10:15:30Z",
                 "data":{"subject":"Pricing",
                         "from":{"emailAddress":{"name":"Bea Buyer","address":"bea@fabrikam.test"}},
                         "to":["ann@contoso.test",{"name":"Cal","address":"cal@contoso.test"}],
                         "cc":[]}}""");

        String page = CrmPages.userPage("a", "u", List.of(event));

        assertTrue(page.contains("<td>Pricing</td>"), page);
        assertTrue(page.contains("<td>email.received</td>"), page);
        assertTrue(page.contains("<time datetime=\"2025-05-01T10:15:30Z\">"), page);
        assertTrue(page.contains("From: Bea Buyer &lt;bea@fabrikam.test&gt;<br>To: ann@contoso.test, Cal &lt;cal@contoso.test&gt;"), page);
    }

    @Test
    void escapesHostileValuesEverywhere() throws Exception {
        CrmEvent event = event("""
                {"id":"e1","type":"<b>type</b>","accountId":"<a>","userId":"<u>","occurredAt":"2025-05-01T10:15:30Z",
                 "data":{"subject":"<script>alert(1)</script>","from":"\\"><img src=x onerror=alert(2)>"}}""");

        String page = CrmPages.userPage("<a>", "<u>", List.of(event));
        String index = CrmPages.index(Map.of("<a>", Map.of("<u>", 1)), Map.of("<a>", 2));

        for (String html : List.of(page, index)) {
            assertFalse(html.contains("<script>"), html);
            assertFalse(html.contains("<img"), html);
            assertFalse(html.contains("<b>"), html);
            assertFalse(html.contains("<u>") || html.contains("<a>"), html);
        }
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        assertTrue(index.contains("href=\"/accounts/%3Ca%3E/users/%3Cu%3E\""), index);
    }

    @Test
    void saysSoWhenAUserHasNoEvents() {
        assertTrue(CrmPages.userPage("a", "u", List.of()).contains("Nothing received yet."));
    }

    private static CrmEvent event(String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        return new CrmEvent(json.get("id").asText(), json.get("type").asText(), json.get("accountId").asText(),
                json.get("userId").asText(), Instant.parse(json.get("occurredAt").asText()), json, body,
                new ReceivedHeaders(Map.of()), Instant.now());
    }
}
