package io.mailbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.config.Settings;
import io.mailbridge.devhost.runtime.FunctionInvoker;
import io.mailbridge.e2e.support.Connecting;
import io.mailbridge.e2e.support.MailboxApi;
import io.mailbridge.e2e.support.Stack;
import io.mailbridge.e2e.support.StackExtension;
import io.mailbridge.e2e.support.Web;
import io.mailbridge.graph.TokenCaches;
import io.mailbridge.graph.TokenCipher;
import io.mailbridge.sandbox.SandboxUser;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.testkit.UniqueNames;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full connect, with every log record captured at the level host.json sends to the logs in Azure
 * (Information and above): no code, verifier, token or secret among them.
 */
@ExtendWith(StackExtension.class)
class SecretsStayOutOfLogsIT {

    @Test
    void aFullConnectLogsNoTokenCodeVerifierOrSecret(Stack stack) throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // The sandbox stands in for Microsoft: its own logs are not the product's.
                if (record.getLoggerName() == null || !record.getLoggerName().startsWith("io.mailbridge.sandbox")) {
                    lines.add(new java.util.logging.SimpleFormatter().format(record));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.INFO);
        // Tests keep the host's per-execution lines at WARNING (.mvn/test-logging.properties); Azure logs them at Information.
        Logger hostExecutions = Logger.getLogger(FunctionInvoker.class.getName());
        Level testLevel = hostExecutions.getLevel();
        hostExecutions.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> secrets = new ArrayList<>();
        String account = UniqueNames.next("logs");
        try {
            Connecting connecting = new Connecting(stack);
            SandboxUser alex = stack.sandbox().user("alex.wilber@contoso.example");
            String link = connecting.link(account, "u1", alex, List.of("Connect to mailbox"), "US");
            HttpResponse<String> toMicrosoft = connecting.proceed(link, "TWO_WAY");
            String cookie = toMicrosoft.headers().firstValue("Set-Cookie").orElseThrow();
            secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')));
            URI authorize = Web.location(toMicrosoft);
            String state = Web.query(authorize).get("state");
            TableEntity signIn = stack.storage().tables().getTableClient("signinstates").getEntity(TableKeys.escape(state), "state");
            secrets.add(state);
            secrets.add((String) signIn.getProperty("CodeVerifier"));

            HttpResponse<String> signInPage = connecting.web().get(authorize);
            HttpResponse<String> handBack = connecting.web().postForm(Web.formAction(signInPage),
                    Map.of("request", Web.hiddenFields(signInPage.body()).get("request"), "user", alex.id(), "action", "accept"));
            Map<String, String> answer = Web.hiddenFields(handBack.body());
            secrets.add(answer.get("code"));
            assertEquals(200, connecting.web().postForm(Web.formAction(handBack), answer).statusCode());
            new MailboxApi(stack).status(account, "u1");

            Settings settings = Settings.from(stack.local().settings());
            TokenCaches.SealedCache sealed = new TokenCaches(stack.storage()).find(account, "u1").orElseThrow().value();
            String cache = new TokenCipher(settings.tokenKeys()).open(sealed.sealed(), "mailbridge-token-cache:" + account + "/u1");
            JsonNode tokens = MailboxApi.json(cache);
            for (String kind : List.of("AccessToken", "RefreshToken", "IdToken")) {
                tokens.path(kind).forEach(entry -> secrets.add(entry.get("secret").asText()));
            }
            secrets.add(settings.microsoft().clientSecret());
            secrets.add(stack.crmSecret());
            secrets.add(stack.local().settings().get("MAILBRIDGE_TOKEN_ENCRYPTION_KEY").split(":")[1]);
            secrets.add(stack.local().settings().get("MAILBRIDGE_SMTP_PASSWORD"));
        } finally {
            root.removeHandler(capture);
            hostExecutions.setLevel(testLevel);
        }

        assertTrue(secrets.size() >= 10 && secrets.stream().allMatch(s -> s != null && s.length() >= 16), "the secrets were found: " + secrets.size());
        assertFalse(lines.isEmpty(), "the app and the host did log");
        assertTrue(lines.stream().anyMatch(line -> line.contains("Executed 'Functions.connectCallback'")), "the host's execution lines were read too");
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a log line carries a secret: " + line);
            }
            assertFalse(line.contains("alex.wilber@contoso.example"), "logs name mailboxes by a hash: " + line);
        }
    }
}
