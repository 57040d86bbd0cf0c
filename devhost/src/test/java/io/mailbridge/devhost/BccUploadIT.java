package io.mailbridge.devhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.ProjectRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The BCC endpoint of the real app on the local host, hit as an attacker would: a 60 MiB upload is
 * announced but only a few bytes of it are ever sent. A wrong secret or a declared oversize must be
 * answered at once, which can only happen if nothing waits for the body.
 */
@ExtendWith(AzuriteExtension.class)
class BccUploadIT {
    private static final long SIXTY_MIB = 60L * 1024 * 1024;
    /** Far less than sending 60 MiB takes, and far more than answering from the headers does. */
    private static final Duration QUICK = Duration.ofSeconds(3);

    private static Map<String, String> values;
    private static DevHost host;

    @BeforeAll
    static void startTheApp(Azurite azurite) {
        values = new HashMap<>(LocalSettings.read(ProjectRoot.resolve("local.settings.sample.json")).values());
        values.put("AzureWebJobsStorage", azurite.connectionString());
        values.replaceAll((name, value) -> value.startsWith(".sandbox/") ? "" : value);
        // The host's default limit (100 MB), above the 60 MiB announced: the function, not the host, must refuse those.
        values.remove("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT");
        Settings settings = Settings.from(values);
        StorageProvisioning.createAll(StorageClients.connect(settings.storage()));
        host = DevHost.builder()
                .functionsIn("io.mailbridge.bcc", App.class.getClassLoader())
                .injector(new App(settings))
                .hostJson(ProjectRoot.resolve("host.json"))
                .settings(values)
                .start();
    }

    @AfterAll
    static void stopTheApp() {
        host.close();
    }

    /** What came back for the headers and the first bytes of a body announced as {@code declaredLength} bytes. */
    private record Answer(int status, List<String> lines, Duration took) {
        void assertQuick() {
            assertTrue(took.compareTo(QUICK) < 0, () -> "took " + took.toMillis() + " ms");
        }

        /** The app's RFC 9457 answer, not the host's. */
        void assertProblem() {
            assertTrue(lines.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("content-type: application/problem+json")),
                    lines::toString);
        }
    }

    private static Answer announce(String secret, long declaredLength) throws Exception {
        try (Socket socket = new Socket(host.baseUri().getHost(), host.baseUri().getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/bcc/mail HTTP/1.1\r\nHost: localhost\r\nContent-Type: message/rfc822\r\n"
                    + "X-Mailbridge-Gateway-Secret: " + secret + "\r\nX-Envelope-Recipient: someone@bcc.mailbridge.localhost\r\n"
                    + "Content-Length: " + declaredLength + "\r\n\r\nFrom: someone@fabrikam.example\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), lines, took);
        }
    }

    @Test
    void aWrongSecretWithSixtyMebibytesAnnouncedIsRefusedWithoutWaitingForThem() throws Exception {
        Answer answer = announce("not-the-gateway-secret-but-long-enough-0123", SIXTY_MIB);

        assertEquals(401, answer.status());
        answer.assertQuick();
        answer.assertProblem();
    }

    @Test
    void theRightSecretWithMoreThanTheMailLimitAnnouncedIsRefusedWith413WithoutWaitingForIt() throws Exception {
        // Over the app's mail limit and under the host's, so it is the function that refuses it.
        Answer answer = announce(values.get("MAILBRIDGE_BCC_GATEWAY_SECRET"), Long.parseLong(values.get("MAILBRIDGE_BCC_MAX_MAIL_BYTES")) + 1);

        assertEquals(413, answer.status());
        answer.assertQuick();
        answer.assertProblem();
    }

    @Test
    void aBodyAnnouncedOverTheHostsLimitIsRefusedByTheHostWhateverTheSecret() throws Exception {
        Answer answer = announce("not-the-gateway-secret-but-long-enough-0123", 200L * 1024 * 1024);

        assertEquals(413, answer.status());
        answer.assertQuick();
    }
}
