package io.mailbridge.sandbox.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** The RS256 key the identity platform signs tokens with, generated at start and published as JWKS. */
public final class SigningKey {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private final KeyPair keys;
    private final String keyId = UUID.randomUUID().toString().replace("-", "");

    public SigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** A compact JWS: header {typ, alg: RS256, kid}, the claims, the signature. */
    public String sign(ObjectNode claims) {
        ObjectNode header = Json.object().put("typ", "JWT").put("alg", "RS256").put("kid", keyId);
        String signingInput = URL.encodeToString(Json.bytes(header)) + "." + URL.encodeToString(Json.bytes(claims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a token this key signed; empty for anything else (malformed, other key, tampered). */
    public Optional<JsonNode> verifiedClaims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Json.MAPPER.readTree(URL_DECODER.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText()) || !keyId.equals(header.path("kid").asText())) {
                return Optional.empty();
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(keys.getPublic());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(URL_DECODER.decode(parts[2]))) {
                return Optional.empty();
            }
            return Optional.of(Json.MAPPER.readTree(URL_DECODER.decode(parts[1])));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The JWKS document: one RSA signing key. */
    public ObjectNode jwks() {
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        ObjectNode key = Json.object().put("kty", "RSA").put("use", "sig").put("kid", keyId).put("alg", "RS256")
                .put("n", URL.encodeToString(unsigned(publicKey.getModulus())))
                .put("e", URL.encodeToString(unsigned(publicKey.getPublicExponent())));
        ObjectNode jwks = Json.object();
        jwks.putArray("keys").add(key);
        return jwks;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }
}
