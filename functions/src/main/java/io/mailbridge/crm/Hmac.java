package io.mailbridge.crm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with the secret shared with the CRM; comparisons in constant time. */
public final class Hmac {
    private final SecretKeySpec key;

    public Hmac(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("The CRM signing secret must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public byte[] sign(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    public String signHex(String message) {
        return HexFormat.of().formatHex(sign(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when {@code signature} is the MAC of {@code message}; never short-circuits on the first wrong byte. */
    public boolean verify(byte[] message, byte[] signature) {
        return MessageDigest.isEqual(sign(message), signature);
    }

    @Override
    public String toString() {
        return "Hmac[secret hidden]";
    }
}
