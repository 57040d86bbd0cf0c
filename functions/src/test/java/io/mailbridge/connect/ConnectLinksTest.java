package io.mailbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailbridge.config.Region;
import io.mailbridge.support.SignedLinks;
import io.mailbridge.support.TestSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectLinksTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final ConnectLinks links = new ConnectLinks(TestSettings.CRM_SECRET.getBytes(StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static Map<String, Object> claims() {
        return SignedLinks.claims("acct-1", "user-1", List.of("Sales", ConnectRequest.CONNECT_ROLE), "eu", NOW.minusSeconds(10));
    }

    @Test
    void aSecretTooShortForHs256FailsWhenTheLinksAreBuiltNotWhenALinkIsRead() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ConnectLinks(new byte[31], Clock.systemUTC()));
        assertTrue(refused.getMessage().contains("31 bytes"), refused.getMessage());
    }

    @Test
    void readsEveryClaimOfAValidLink() {
        Map<String, Object> claims = claims();
        var valid = assertInstanceOf(ConnectLinks.Verified.Valid.class, links.verify(SignedLinks.sign(claims, TestSettings.CRM_SECRET)));

        ConnectRequest request = valid.request();
        assertEquals("acct-1", request.accountId());
        assertEquals("user-1", request.userId());
        assertEquals("user-1@contoso.example", request.userEmail());
        assertEquals(Set.of("Sales", "Connect to mailbox"), request.roles());
        assertEquals(URI.create("http://localhost:7080/profile/return"), request.returnUrl());
        assertEquals(Region.EU, request.homeRegion());
        assertTrue(request.mayConnect());
        assertEquals(claims.get("jti"), request.linkId());
    }

    @Test
    void refusesALinkSignedWithAnotherSecret() {
        String forged = SignedLinks.sign(claims(), "another-secret-of-enough-length-0123456789");

        assertEquals(new ConnectLinks.Verified.Invalid("the signature does not match"), links.verify(forged));
    }

    @Test
    void refusesALinkWhoseClaimsWereChanged() {
        String link = SignedLinks.sign(claims(), TestSettings.CRM_SECRET);
        Map<String, Object> elevated = claims();
        elevated.put("account_id", "acct-2");
        String other = SignedLinks.sign(elevated, TestSettings.CRM_SECRET);
        String tampered = link.split("\\.")[0] + "." + other.split("\\.")[1] + "." + link.split("\\.")[2];

        assertEquals(new ConnectLinks.Verified.Invalid("the signature does not match"), links.verify(tampered));
    }

    @Test
    void refusesUnsignedAndOtherAlgorithms() {
        String none = SignedLinks.sign(Map.of("alg", "none"), claims(), TestSettings.CRM_SECRET);

        assertEquals(new ConnectLinks.Verified.Invalid("the request is not signed with HS256"), links.verify(none));
    }

    @Test
    void anExpiredLinkIsExpiredAndAFreshOneWithinClockSkewIsNot() {
        Map<String, Object> expired = claims();
        expired.put("iat", NOW.minusSeconds(600).getEpochSecond());
        expired.put("exp", NOW.minusSeconds(61).getEpochSecond());
        Map<String, Object> justExpired = claims();
        justExpired.put("exp", NOW.minusSeconds(30).getEpochSecond());

        assertInstanceOf(ConnectLinks.Verified.Expired.class, links.verify(SignedLinks.sign(expired, TestSettings.CRM_SECRET)));
        assertInstanceOf(ConnectLinks.Verified.Valid.class, links.verify(SignedLinks.sign(justExpired, TestSettings.CRM_SECRET)));
    }

    @Test
    void refusesLongLivedLinks() {
        Map<String, Object> longLived = claims();
        longLived.put("exp", NOW.plusSeconds(3600).getEpochSecond());

        assertEquals(new ConnectLinks.Verified.Invalid("the request lives longer than 15 minutes"),
                links.verify(SignedLinks.sign(longLived, TestSettings.CRM_SECRET)));
    }

    @Test
    void refusesMalformedAndIncompleteLinks() {
        Map<String, Object> noRoles = claims();
        noRoles.remove("roles");
        Map<String, Object> marsRegion = claims();
        marsRegion.put("region", "MARS");
        Map<String, Object> noLinkId = claims();
        noLinkId.remove("jti");
        Map<String, Object> hugeLinkId = claims();
        hugeLinkId.put("jti", "x".repeat(129));

        assertEquals(new ConnectLinks.Verified.Invalid("the link carries no request"), links.verify(null));
        assertEquals(new ConnectLinks.Verified.Invalid("the request is not a signed token"), links.verify("abc.def"));
        assertEquals(new ConnectLinks.Verified.Invalid("the request is malformed"), links.verify("%%%.***.!!!"));
        assertEquals(new ConnectLinks.Verified.Invalid("the request lacks account_id, sub, email, roles, return_url, region or jti"),
                links.verify(SignedLinks.sign(noRoles, TestSettings.CRM_SECRET)));
        assertEquals(new ConnectLinks.Verified.Invalid("the request lacks account_id, sub, email, roles, return_url, region or jti"),
                links.verify(SignedLinks.sign(noLinkId, TestSettings.CRM_SECRET)), "a link without an id could be used again and again");
        assertEquals(new ConnectLinks.Verified.Invalid("the request's jti is longer than 128 characters"),
                links.verify(SignedLinks.sign(hugeLinkId, TestSettings.CRM_SECRET)));
        assertEquals(new ConnectLinks.Verified.Invalid("the request names an unknown region"),
                links.verify(SignedLinks.sign(marsRegion, TestSettings.CRM_SECRET)));
    }
}
