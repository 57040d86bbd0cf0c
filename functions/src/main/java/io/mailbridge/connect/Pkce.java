package io.mailbridge.connect;

import io.mailbridge.Sha256;

/** The PKCE (RFC 7636) S256 challenge sent to Microsoft for a verifier kept in the sign-in state. */
public final class Pkce {
    private Pkce() {}

    public static String challengeOf(String verifier) {
        return Sha256.base64url(verifier);
    }
}
