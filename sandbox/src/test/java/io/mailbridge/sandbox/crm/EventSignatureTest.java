package io.mailbridge.sandbox.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventSignatureTest {
    private static final byte[] SECRET = "sandbox-secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);
    /** printf '%s' '1700000000.{"id":"evt-1"}' | openssl dgst -sha256 -hmac 'sandbox-secret' */
    private static final String OPENSSL_SIGNATURE = "v1=9d3be44a368c8849f76e1247f3b6adb1214f08800f58e71916df1d38ab987057";

    @Test
    void signsTimestampDotBodyWithHmacSha256InLowercaseHex() {
        assertEquals(OPENSSL_SIGNATURE, EventSignature.sign(SECRET, "1700000000", BODY));
    }

    @Test
    void matchesOnlyTheExactSignature() {
        assertTrue(EventSignature.matches(SECRET, "1700000000", BODY, OPENSSL_SIGNATURE));
        assertFalse(EventSignature.matches(SECRET, "1700000001", BODY, OPENSSL_SIGNATURE));
        assertFalse(EventSignature.matches(SECRET, "1700000000", "{\"id\":\"evt-2\"}".getBytes(StandardCharsets.UTF_8),
                OPENSSL_SIGNATURE));
        assertFalse(EventSignature.matches("other".getBytes(StandardCharsets.UTF_8), "1700000000", BODY, OPENSSL_SIGNATURE));
        assertFalse(EventSignature.matches(SECRET, "1700000000", BODY, OPENSSL_SIGNATURE.toUpperCase()));
        assertFalse(EventSignature.matches(SECRET, "1700000000", BODY, OPENSSL_SIGNATURE.substring(3)));
        assertFalse(EventSignature.matches(SECRET, "1700000000", BODY, ""));
    }
}
