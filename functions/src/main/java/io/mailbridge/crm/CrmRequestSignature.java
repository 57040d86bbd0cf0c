package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpRequestMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that an API call comes from the CRM: {@code X-Mailbridge-Signature: v1=<hex HMAC-SHA256 of
 * "<timestamp>.<METHOD>.<path and query>.<body>">} with {@code X-Mailbridge-Timestamp} (Unix
 * seconds) within five minutes. The function key says "a caller we gave a key"; this says "the CRM".
 */
public final class CrmRequestSignature {
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final Hmac hmac;
    private final Clock clock;

    public CrmRequestSignature(Hmac hmac, Clock clock) {
        this.hmac = hmac;
        this.clock = clock;
    }

    /** Empty when the request is signed by the CRM; otherwise why not, safe to tell the caller. */
    public Optional<String> problemWith(HttpRequestMessage<Optional<String>> request) {
        Map<String, String> headers = request.getHeaders();
        String timestamp = header(headers, "x-mailbridge-timestamp");
        String signature = header(headers, "x-mailbridge-signature");
        if (timestamp == null || signature == null) {
            return Optional.of("X-Mailbridge-Timestamp and X-Mailbridge-Signature are required");
        }
        if (!timestamp.matches("\\d{1,12}")) {
            return Optional.of("X-Mailbridge-Timestamp must be Unix seconds");
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(TOLERANCE) > 0) {
            return Optional.of("X-Mailbridge-Timestamp is more than " + TOLERANCE.toMinutes() + " minutes from now");
        }
        if (!signature.startsWith("v1=") || !signature.substring(3).matches("[0-9a-fA-F]{64}")) {
            return Optional.of("X-Mailbridge-Signature must be v1=<64 hex digits>");
        }
        URI uri = request.getUri();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String signed = timestamp + "." + request.getHttpMethod().name() + "." + target + "." + request.getBody().orElse("");
        if (!hmac.verify(signed.getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(signature.substring(3).toLowerCase(Locale.ROOT)))) {
            return Optional.of("X-Mailbridge-Signature does not match the request");
        }
        return Optional.empty();
    }

    private static String header(Map<String, String> headers, String lowerCaseName) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(lowerCaseName)) {
                return header.getValue();
            }
        }
        return null;
    }
}
