package io.mailbridge.crm;

import com.microsoft.azure.functions.HttpRequestMessage;
import io.mailbridge.http.Headers;
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

    /** What the check found. */
    public sealed interface Verdict {
        /** Signed by the CRM at {@code signedAt}; {@code mac} is the verified MAC, which the request may be remembered by. */
        record Signed(Instant signedAt, byte[] mac) implements Verdict {
            public Signed {
                mac = mac.clone();
            }

            @Override
            public byte[] mac() {
                return mac.clone();
            }

            /** The last instant at which this signature is still accepted. */
            public Instant acceptedUntil() {
                return signedAt.plus(TOLERANCE);
            }
        }

        /** Not signed by the CRM; {@code reason} is safe to tell the caller. */
        record Refused(String reason) implements Verdict {}
    }

    private final Hmac hmac;
    private final Clock clock;

    public CrmRequestSignature(Hmac hmac, Clock clock) {
        this.hmac = hmac;
        this.clock = clock;
    }

    public Verdict check(HttpRequestMessage<Optional<String>> request) {
        Map<String, String> headers = request.getHeaders();
        String timestamp = Headers.value(headers, "X-Mailbridge-Timestamp").orElse(null);
        String signature = Headers.value(headers, "X-Mailbridge-Signature").orElse(null);
        if (timestamp == null || signature == null) {
            return new Verdict.Refused("X-Mailbridge-Timestamp and X-Mailbridge-Signature are required");
        }
        if (!timestamp.matches("\\d{1,12}")) {
            return new Verdict.Refused("X-Mailbridge-Timestamp must be Unix seconds");
        }
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(TOLERANCE) > 0) {
            return new Verdict.Refused("X-Mailbridge-Timestamp is more than " + TOLERANCE.toMinutes() + " minutes from now");
        }
        if (!signature.startsWith("v1=") || !signature.substring(3).matches("[0-9a-fA-F]{64}")) {
            return new Verdict.Refused("X-Mailbridge-Signature must be v1=<64 hex digits>");
        }
        URI uri = request.getUri();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String signed = timestamp + "." + request.getHttpMethod().name() + "." + target + "." + request.getBody().orElse("");
        byte[] mac = HexFormat.of().parseHex(signature.substring(3).toLowerCase(Locale.ROOT));
        if (!hmac.verify(signed.getBytes(StandardCharsets.UTF_8), mac)) {
            return new Verdict.Refused("X-Mailbridge-Signature does not match the request");
        }
        return new Verdict.Signed(signedAt, mac);
    }
}
