package io.mailbridge.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Settings;
import io.mailbridge.config.TokenKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCipherTest {
    private static final TokenKey OLD = new TokenKey("k1", filled((byte) 1));
    private static final TokenKey NEW = new TokenKey("k2", filled((byte) 2));
    private static final String CACHE = "{\"RefreshToken\":{\"secret\":\"0.AAAA-refresh-token\"}}";

    private static byte[] filled(byte value) {
        byte[] key = new byte[32];
        Arrays.fill(key, value);
        return key;
    }

    @Test
    void sealsSoThatOnlyTheSameBindingOpensIt() {
        TokenCipher cipher = new TokenCipher(new Settings.TokenKeys(NEW, List.of()));

        TokenCipher.Sealed sealed = cipher.seal(CACHE, "acct/user");

        assertEquals("k2", sealed.keyId());
        assertFalse(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains("refresh-token"));
        assertEquals(CACHE, cipher.open(sealed, "acct/user"));
        assertThrows(TokenCipher.TokenCipherException.class, () -> cipher.open(sealed, "acct/other-user"));
    }

    @Test
    void anAlteredCiphertextDoesNotOpen() {
        TokenCipher cipher = new TokenCipher(new Settings.TokenKeys(NEW, List.of()));
        TokenCipher.Sealed sealed = cipher.seal(CACHE, "b");
        byte[] altered = sealed.ciphertext();
        altered[altered.length - 1] ^= 1;

        assertThrows(TokenCipher.TokenCipherException.class, () -> cipher.open(new TokenCipher.Sealed("k2", altered), "b"));
    }

    @Test
    void aRotationKeepsOldCiphertextsReadableAndMarksThemStale() {
        TokenCipher.Sealed underOldKey = new TokenCipher(new Settings.TokenKeys(OLD, List.of())).seal(CACHE, "b");
        TokenCipher rotated = new TokenCipher(new Settings.TokenKeys(NEW, List.of(OLD)));

        assertEquals(CACHE, rotated.open(underOldKey, "b"));
        assertTrue(rotated.isStale(underOldKey));
        assertFalse(rotated.isStale(rotated.seal(CACHE, "b")));
    }

    @Test
    void aCiphertextOfARetiredKeySaysWhichKeyIsMissingAndNothingElse() {
        TokenCipher.Sealed underOldKey = new TokenCipher(new Settings.TokenKeys(OLD, List.of())).seal(CACHE, "b");
        TokenCipher retired = new TokenCipher(new Settings.TokenKeys(NEW, List.of()));

        var error = assertThrows(TokenCipher.TokenCipherException.class, () -> retired.open(underOldKey, "b"));
        assertEquals("No token key with id k1 is configured", error.getMessage());
    }

    @Test
    void twoSealsOfTheSameCacheDiffer() {
        TokenCipher cipher = new TokenCipher(new Settings.TokenKeys(NEW, List.of()));

        assertFalse(Arrays.equals(cipher.seal(CACHE, "b").ciphertext(), cipher.seal(CACHE, "b").ciphertext()));
    }
}
