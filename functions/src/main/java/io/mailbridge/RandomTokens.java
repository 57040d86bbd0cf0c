package io.mailbridge;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable values (sign-in states, PKCE verifiers, client states): 256 random bits, base64url. */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {}

    /** 43 characters, safe in URLs, table keys and Graph's 128-character clientState. */
    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }
}
