package io.mailbridge.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.mailbridge.storage.FirstUses;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.support.TestSettings;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.AzuriteExtension;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signed CRM calls that change something are served once per signature; reads stay repeatable. */
@ExtendWith(AzuriteExtension.class)
class CrmApiIT {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Hmac HMAC = new Hmac(TestSettings.CRM_SECRET.getBytes(StandardCharsets.UTF_8));
    private static final String MAILBOX = "/api/accounts/a1/mailboxes/u1";

    private StorageClients storage;
    private String table;
    private CrmApi api;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void createApi(Azurite azurite) {
        storage = TestStorage.clients(azurite);
        table = TestStorage.newTable(storage, "usedsignatures");
        api = new CrmApi(new CrmRequestSignature(HMAC, Clock.fixed(NOW, ZoneOffset.UTC)), new FirstUses(storage, table));
    }

    private static FunctionHttpRequest<Optional<String>> signed(HttpMethod method, String path, String body, long timestamp) {
        String signature = "v1=" + HMAC.signHex(timestamp + "." + method.name() + "." + path + "." + body);
        return request(method, path, body, timestamp, signature);
    }

    private static FunctionHttpRequest<Optional<String>> request(HttpMethod method, String path, String body, long timestamp, String signature) {
        return FunctionHttpRequest.of(URI.create("http://localhost:7071" + path), method,
                Map.of("X-Mailbridge-Timestamp", Long.toString(timestamp), "X-Mailbridge-Signature", signature), Optional.of(body));
    }

    private FunctionHttpResponse handle(FunctionHttpRequest<Optional<String>> request) {
        HttpResponseMessage response = api.handle(request, () -> {
            served.incrementAndGet();
            return request.createResponseBuilder(HttpStatus.OK).body("done").build();
        });
        return (FunctionHttpResponse) response;
    }

    private long rememberedSignatures() {
        return storage.tables().getTableClient(table).listEntities().stream().count();
    }

    @Test
    void aReplayedSignedDeleteIsRefusedWithAProblemAndNotServed() {
        FunctionHttpRequest<Optional<String>> delete = signed(HttpMethod.DELETE, MAILBOX, "", NOW.getEpochSecond() - 10);

        assertEquals(200, handle(delete).status().value());
        FunctionHttpResponse replay = handle(delete);

        assertEquals(409, replay.status().value());
        assertEquals("application/problem+json; charset=utf-8", replay.getHeader("Content-Type"));
        assertEquals("Request already served", replay.json().path("title").asText());
        assertEquals("This signed DELETE was already used: each POST, PUT, PATCH or DELETE is served once,"
                + " so sign a retry again with a fresh X-Mailbridge-Timestamp", replay.json().path("detail").asText());
        assertEquals(1, served.get(), "the replay never reached the call");
    }

    @Test
    void theSameRequestSignedAgainWithAFreshTimestampIsServed() {
        String body = "{\"mode\":\"ONE_WAY\"}";
        assertEquals(200, handle(signed(HttpMethod.PATCH, MAILBOX, body, NOW.getEpochSecond() - 1)).status().value());
        assertEquals(200, handle(signed(HttpMethod.PATCH, MAILBOX, body, NOW.getEpochSecond())).status().value());
        assertEquals(2, served.get());
    }

    @Test
    void everyMutatingMethodIsServedOncePerSignature() {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
            FunctionHttpRequest<Optional<String>> request = signed(method, MAILBOX, "{}", NOW.getEpochSecond());
            assertEquals(200, handle(request).status().value(), method.name());
            assertEquals(409, handle(request).status().value(), method + " replayed");
        }
    }

    @Test
    void theSameMacInUpperCaseHexIsStillAReplay() {
        long timestamp = NOW.getEpochSecond();
        String mac = HMAC.signHex(timestamp + ".DELETE." + MAILBOX + ".");
        assertEquals(200, handle(request(HttpMethod.DELETE, MAILBOX, "", timestamp, "v1=" + mac)).status().value());

        FunctionHttpResponse shouted = handle(request(HttpMethod.DELETE, MAILBOX, "", timestamp, "v1=" + mac.toUpperCase(Locale.ROOT)));

        assertEquals(409, shouted.status().value());
    }

    @Test
    void aSignedGetStaysRepeatableAndIsNotRemembered() {
        FunctionHttpRequest<Optional<String>> status = signed(HttpMethod.GET, MAILBOX, "", NOW.getEpochSecond());

        assertEquals(200, handle(status).status().value());
        assertEquals(200, handle(status).status().value());
        assertEquals(0, rememberedSignatures());
    }

    @Test
    void requestsThatAreNotSignedByTheCrmAreRefusedWithoutBeingRemembered() {
        long timestamp = NOW.getEpochSecond();
        FunctionHttpResponse forged = handle(request(HttpMethod.DELETE, MAILBOX, "", timestamp, "v1=" + "0".repeat(64)));
        FunctionHttpResponse stale = handle(signed(HttpMethod.DELETE, MAILBOX, "", timestamp - 301));

        assertEquals(401, forged.status().value());
        assertEquals(401, stale.status().value());
        assertEquals(0, rememberedSignatures(), "only verified signatures take a row");
        assertEquals(0, served.get());
    }

    @Test
    void aUsedSignatureIsRememberedByItsHashUntilItsWindowCloses() {
        long timestamp = NOW.getEpochSecond() - 60;
        String mac = HMAC.signHex(timestamp + ".DELETE." + MAILBOX + ".");
        handle(request(HttpMethod.DELETE, MAILBOX, "", timestamp, "v1=" + mac));

        var row = storage.tables().getTableClient(table).listEntities().stream().findFirst().orElseThrow();
        assertFalse(row.getPartitionKey().contains(mac), "the table never holds a valid signature");
        Instant windowCloses = Instant.ofEpochSecond(timestamp).plus(CrmRequestSignature.TOLERANCE);
        FirstUses uses = new FirstUses(storage, table);
        assertEquals(0, uses.sweepExpired(windowCloses.minusSeconds(1)), "remembered while the timestamp is accepted");
        assertEquals(1, uses.sweepExpired(windowCloses.plusSeconds(1)), "forgotten once it would be refused as stale anyway");
    }
}
