package io.mailbridge.testkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PercentDecodingTest {

    @Test
    void pathSegmentsKeepPlusSigns() {
        assertEquals("a b+c/d", PercentDecoding.decode("a%20b+c%2Fd"));
        assertEquals("100%", PercentDecoding.decode("100%"), "a malformed escape stays as it is");
    }

    @Test
    void queryStringsDecodePlusAsSpaceAndJoinRepeatedNames() {
        assertEquals(Map.of("q", "a b", "tag", "x,y", "flag", "", "ü", "ö"), PercentDecoding.query("q=a+b&tag=x&tag=y&flag&%C3%BC=%C3%B6"));
        assertEquals(Map.of(), PercentDecoding.query(null));
    }
}
