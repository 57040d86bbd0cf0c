package io.mailbridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256, for values stored, compared or logged in place of what they stand for. Text is hashed as UTF-8. */
public final class Sha256 {
    private Sha256() {}

    public static byte[] of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(of(text));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(of(bytes));
    }

    /** Base64url without padding, as PKCE's S256 challenge is written. */
    public static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(of(text));
    }
}
