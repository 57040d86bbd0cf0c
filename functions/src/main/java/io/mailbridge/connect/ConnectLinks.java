package io.mailbridge.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import io.mailbridge.config.Region;
import io.mailbridge.http.Json;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the signed link the CRM sends a user to: an HS256 JWT whose claims name the CRM account
 * ({@code account_id}), the user ({@code sub}, {@code email}, {@code roles}), where to go back
 * ({@code return_url}) and the account's home region ({@code region}); {@code iat} and {@code exp}
 * keep it short-lived, and {@code jti}, unique per link, lets it be used once.
 */
public final class ConnectLinks {
    /** Links are for an immediate redirect; anything that lives longer was not made for that. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(15);
    /** Tolerates clocks of the CRM and this stamp being a little apart. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int MAX_LINK_LENGTH = 8 * 1024;
    private static final int MAX_LINK_ID_LENGTH = 128;

    /** HS256's shortest key, 256 bits (RFC 7518, 3.2). */
    private static final int MIN_SECRET_BYTES = 32;

    private final byte[] secret;
    private final Clock clock;

    /** {@code secret}: the CRM's signing secret, 32 bytes or more (HS256 takes no shorter key). */
    public ConnectLinks(byte[] secret, Clock clock) {
        // Checked here so a short secret still fails at start; the verifier is made per link, so a cold start
        // does not build the JOSE library's signing classes for requests that never read a link.
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The CRM signing secret cannot verify HS256: it has " + secret.length
                    + " bytes, HS256 needs at least " + MIN_SECRET_BYTES);
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** The outcome of reading a link: the request, or why it cannot be trusted. */
    public sealed interface Verified {
        record Valid(ConnectRequest request) implements Verified {}

        record Invalid(String reason) implements Verified {}

        /** Signed by the CRM but too old; its return address, if it names one, is still the CRM's own word. */
        record Expired(Optional<URI> returnUrl) implements Verified {}
    }

    public Verified verify(String link) {
        if (link == null || link.isBlank() || link.length() > MAX_LINK_LENGTH) {
            return new Verified.Invalid("the link carries no request");
        }
        String[] parts = link.split("\\.", -1);
        if (parts.length != 3) {
            return new Verified.Invalid("the request is not a signed token");
        }
        try {
            // The header first: an unsecured ("none") or otherwise signed token is refused before anything else is read.
            if (!JWSAlgorithm.HS256.equals(Header.parse(new Base64URL(parts[0])).getAlgorithm())) {
                return new Verified.Invalid("the request is not signed with HS256");
            }
            JWSObject jws = JWSObject.parse(link);
            if (!jws.verify(new MACVerifier(secret))) {
                return new Verified.Invalid("the signature does not match");
            }
            return claims(Json.MAPPER.readTree(jws.getPayload().toBytes()));
        } catch (ParseException | JOSEException | IOException | IllegalArgumentException e) {
            return new Verified.Invalid("the request is malformed");
        }
    }

    private Verified claims(JsonNode claims) {
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong() || !claims.path("iat").canConvertToLong()) {
            return new Verified.Invalid("the request has no lifetime (iat, exp)");
        }
        Instant issuedAt = Instant.ofEpochSecond(claims.get("iat").asLong());
        Instant expiresAt = Instant.ofEpochSecond(claims.get("exp").asLong());
        if (Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0) {
            return new Verified.Invalid("the request lives longer than " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            return new Verified.Invalid("the request was issued in the future");
        }
        String returnUrl = text(claims, "return_url");
        if (!now.isBefore(expiresAt.plus(CLOCK_SKEW))) {
            return new Verified.Expired(Optional.ofNullable(returnUrl).flatMap(ConnectLinks::uri));
        }
        String account = text(claims, "account_id");
        String user = text(claims, "sub");
        String email = text(claims, "email");
        String region = text(claims, "region");
        String linkId = text(claims, "jti");
        if (account == null || user == null || email == null || returnUrl == null || region == null || linkId == null
                || !claims.path("roles").isArray()) {
            return new Verified.Invalid("the request lacks account_id, sub, email, roles, return_url, region or jti");
        }
        if (linkId.length() > MAX_LINK_ID_LENGTH) {
            return new Verified.Invalid("the request's jti is longer than " + MAX_LINK_ID_LENGTH + " characters");
        }
        Set<String> roles = new HashSet<>();
        claims.get("roles").forEach(role -> roles.add(role.asText()));
        Region homeRegion;
        try {
            homeRegion = Region.valueOf(region.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Verified.Invalid("the request names an unknown region");
        }
        return new Verified.Valid(new ConnectRequest(linkId, account, user, email, roles, URI.create(returnUrl), homeRegion, expiresAt));
    }

    private static Optional<URI> uri(String text) {
        try {
            return Optional.of(URI.create(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
