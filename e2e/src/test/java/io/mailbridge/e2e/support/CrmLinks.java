package io.mailbridge.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs what the CRM signs: connect links (HS256 JWTs) and mailbox API requests. */
public final class CrmLinks {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrmLinks() {}

    public static String connectLink(String secret, String accountId, String userId, String email, List<String> roles, String region,
            String returnUrl, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("account_id", accountId);
        claims.put("sub", userId);
        claims.put("email", email);
        claims.put("roles", roles);
        claims.put("return_url", returnUrl);
        claims.put("region", region);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(300).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String unsigned = BASE64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            return unsigned + "." + BASE64URL.encodeToString(hmac(secret, unsigned));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The X-Mailbridge-Signature value for an API request. */
    public static String apiSignature(String secret, long timestamp, String method, String pathAndQuery, String body) {
        return "v1=" + HexFormat.of().formatHex(hmac(secret, timestamp + "." + method + "." + pathAndQuery + "." + body));
    }

    private static byte[] hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
