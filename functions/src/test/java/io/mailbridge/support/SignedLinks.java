package io.mailbridge.support;

import io.mailbridge.crm.Hmac;
import io.mailbridge.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Makes connect links the way the CRM does: HS256 JWTs signed with the shared secret. */
public final class SignedLinks {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SignedLinks() {}

    public static Map<String, Object> claims(String accountId, String userId, List<String> roles, String region, Instant issuedAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("account_id", accountId);
        claims.put("sub", userId);
        claims.put("email", userId + "@contoso.example");
        claims.put("roles", roles);
        claims.put("return_url", "http://localhost:7080/profile/return");
        claims.put("region", region);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plusSeconds(300).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    public static String sign(Map<String, Object> claims, String secret) {
        return sign(Map.of("alg", "HS256", "typ", "JWT"), claims, secret);
    }

    public static String sign(Map<String, Object> header, Map<String, Object> claims, String secret) {
        String signed = encode(Json.write(header)) + "." + encode(Json.write(claims));
        byte[] mac = new Hmac(secret.getBytes(StandardCharsets.UTF_8)).sign(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + BASE64URL.encodeToString(mac);
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
