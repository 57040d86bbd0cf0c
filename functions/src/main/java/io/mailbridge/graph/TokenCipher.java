package io.mailbridge.graph;

import io.mailbridge.config.Settings;
import io.mailbridge.config.TokenKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts token caches at rest with AES-256-GCM. Each ciphertext names the key that made it, so a
 * new key can take over while older ciphertexts stay readable until they are rewritten; the
 * connection's identity is authenticated with it, so a ciphertext cannot be moved to another row.
 */
public final class TokenCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A ciphertext and the id of the key that can open it. */
    public record Sealed(String keyId, byte[] ciphertext) {}

    private final TokenKey current;
    private final Map<String, TokenKey> keysById = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(Settings.TokenKeys keys) {
        this.current = keys.current();
        keys.previous().forEach(key -> keysById.put(key.id(), key));
        keysById.put(current.id(), current);
    }

    public Sealed seal(String plaintext, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] encrypted = run(Cipher.ENCRYPT_MODE, current, nonce, boundTo, plaintext.getBytes(StandardCharsets.UTF_8));
        return new Sealed(current.id(), ByteBuffer.allocate(NONCE_BYTES + encrypted.length).put(nonce).put(encrypted).array());
    }

    /** Opens a ciphertext; fails when its key is unknown or it was altered or bound to something else. */
    public String open(Sealed sealed, String boundTo) {
        TokenKey key = keysById.get(sealed.keyId());
        if (key == null) {
            throw new TokenCipherException("No token key with id " + sealed.keyId() + " is configured");
        }
        ByteBuffer buffer = ByteBuffer.wrap(sealed.ciphertext());
        if (buffer.remaining() <= NONCE_BYTES) {
            throw new TokenCipherException("The stored token ciphertext is truncated");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        buffer.get(nonce);
        byte[] encrypted = new byte[buffer.remaining()];
        buffer.get(encrypted);
        return new String(run(Cipher.DECRYPT_MODE, key, nonce, boundTo, encrypted), StandardCharsets.UTF_8);
    }

    /** True when the ciphertext was made with an older key and should be rewritten with the current one. */
    public boolean isStale(Sealed sealed) {
        return !current.id().equals(sealed.keyId());
    }

    private static byte[] run(int mode, TokenKey key, byte[] nonce, String boundTo, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Deliberately without the cause's details: they never help and must not carry key material.
            throw new TokenCipherException("Token ciphertext could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened")
                    + " with key " + key.id());
        }
    }

    /** Encryption or decryption failed; the message never contains key or token material. */
    public static final class TokenCipherException extends RuntimeException {
        TokenCipherException(String message) {
            super(message);
        }
    }
}
