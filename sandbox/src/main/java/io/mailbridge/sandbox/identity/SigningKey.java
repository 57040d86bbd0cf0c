package io.mailbridge.sandbox.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.mailbridge.sandbox.http.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The RS256 key the identity platform signs tokens with, generated at start with a self-signed
 * certificate and published as JWKS the way Entra publishes its keys: kid equal to x5t (the
 * certificate's SHA-1 thumbprint), the certificate chain in x5c, and the issuer the key signs for.
 */
public final class SigningKey {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final String keyId;

    public SigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            certificate = selfSigned(keys);
            keyId = URL.encodeToString(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=accounts.sandbox.local");
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** A compact JWS: header {typ, alg: RS256, kid}, the claims, the signature. */
    public String sign(ObjectNode claims) {
        JWSObject token = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keyId).build(),
                new Payload(Json.bytes(claims)));
        try {
            token.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return token.serialize();
    }

    /** The claims of a token this key signed; empty for anything else (malformed, other key, tampered). */
    public Optional<JsonNode> verifiedClaims(String token) {
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm()) || !keyId.equals(jws.getHeader().getKeyID())
                    || !jws.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic()))) {
                return Optional.empty();
            }
            return Optional.of(Json.MAPPER.readTree(jws.getPayload().toBytes()));
        } catch (ParseException | JOSEException | IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The JWKS document: one RSA signing key, for tokens of {@code issuer} ("{tenantid}" in it for the multi-tenant endpoints). */
    public ObjectNode jwks(String issuer) {
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        ObjectNode key = Json.object().put("kty", "RSA").put("use", "sig").put("kid", keyId).put("x5t", keyId)
                .put("n", URL.encodeToString(unsigned(publicKey.getModulus())))
                .put("e", URL.encodeToString(unsigned(publicKey.getPublicExponent())));
        try {
            key.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        key.put("issuer", issuer);
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
