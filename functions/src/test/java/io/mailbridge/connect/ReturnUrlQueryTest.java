package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** What the connect flow adds to the CRM's return URL: one parameter, the CRM's own query and fragment kept. */
class ReturnUrlQueryTest {
    @Test
    void theParameterIsAddedToWhateverTheCrmsUrlAlreadyHas() {
        assertEquals(URI.create("https://crm.example/settings/mail?status=connected"),
                ConnectService.withQuery(URI.create("https://crm.example/settings/mail"), "status", "connected"));
        assertEquals(URI.create("https://crm.example/settings?tab=mail&error=mailbox_mismatch#mailbox"),
                ConnectService.withQuery(URI.create("https://crm.example/settings?tab=mail#mailbox"), "error", "mailbox_mismatch"));
    }

    @Test
    void theValueIsEscapedSoItCannotAddParametersOrEndTheQuery() {
        String value = "a&admin=true b+c#frag/é";

        URI url = ConnectService.withQuery(URI.create("https://crm.example/return?x=1"), "error", value);

        HttpUrl parsed = HttpUrl.get(url.toString());
        assertEquals(value, parsed.queryParameter("error"));
        assertEquals("1", parsed.queryParameter("x"));
        assertEquals(2, parsed.querySize());
        assertEquals(null, parsed.fragment());
    }
}
