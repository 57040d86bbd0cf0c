package io.mailbridge.config;

import java.util.Base64;
import java.util.regex.Pattern;

/** One AES-256 key that encrypts stored tokens, named so ciphertexts say which key made them. */
public record TokenKey(String id, byte[] key) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public TokenKey {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id is 1-32 letters, digits, '-' or '_'");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("a token key has 32 bytes");
        }
        key = key.clone();
    }

    /** Parses {@code <key id>:<base64 of 32 bytes>}. */
    public static TokenKey parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected <key id>:<base64 key>");
        }
        return new TokenKey(text.substring(0, colon).trim(), Base64.getDecoder().decode(text.substring(colon + 1).trim()));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "TokenKey[" + id + ", key hidden]";
    }
}
