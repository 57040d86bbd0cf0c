package io.mailbridge.config;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the shipped sample secrets and guessable secrets off any stamp that others can reach: once
 * MAILBRIDGE_PUBLIC_BASE_URL is not a loopback address, each secret must differ from its value in
 * local.settings.sample.json (which is public) and must not be made of a handful of characters.
 * Problems name the setting, never its value.
 */
final class StampSecrets {
    /**
     * The secrets local.settings.sample.json ships with. Compiled in rather than read from the file, which
     * is not deployed; a test reads the file and fails when a secret in it is missing here.
     */
    static final Set<String> SAMPLE_VALUES = Set.of(
            "local-bcc-gateway-secret-change-me-0123456789",
            "local-crm-signing-secret-change-me-0123456789",
            "local1:bG9jYWwtb25seS10b2tlbi1rZXktMzItYnl0ZXMhISE=",
            "sandbox-client-secret",
            "local-relay-password");
    /** A random secret of 32+ characters has some 25 distinct ones; fewer than this is a pattern, not a secret. */
    static final int MIN_DISTINCT_CHARACTERS = 8;
    /** 32 random bytes have some 30 distinct values; 32 zero bytes or a short phrase have far fewer. */
    static final int MIN_DISTINCT_KEY_BYTES = 16;

    private final SettingsReader reader;

    StampSecrets(SettingsReader reader) {
        this.reader = reader;
    }

    /** Only a stamp served on localhost, 127.0.0.0/8 or [::1] may run with sample secrets: nobody else reaches it. */
    static boolean isLoopback(URI publicBaseUrl) {
        String host = publicBaseUrl.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** A text secret; null (already reported as missing or malformed) is skipped. */
    void text(AppSetting setting, String value) {
        if (value == null) {
            return;
        }
        if (SAMPLE_VALUES.contains(value)) {
            sample(setting);
        } else if (value.codePoints().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            reader.problem(setting.key() + " is too weak: expected a random secret with at least " + MIN_DISTINCT_CHARACTERS
                    + " distinct characters");
        }
    }

    /** A token key, judged by its 32 bytes, so the sample key under another key id is still the sample key. */
    void key(AppSetting setting, TokenKey key) {
        if (key == null) {
            return;
        }
        byte[] bytes = key.key();
        if (SAMPLE_VALUES.stream().map(StampSecrets::keyBytes).filter(Objects::nonNull).anyMatch(sample -> Arrays.equals(sample, bytes))) {
            sample(setting);
        } else if (distinct(bytes) < MIN_DISTINCT_KEY_BYTES) {
            reader.problem(setting.key() + " is too weak: expected " + bytes.length + " random bytes, with at least "
                    + MIN_DISTINCT_KEY_BYTES + " distinct byte values");
        }
    }

    private void sample(AppSetting setting) {
        reader.problem(setting.key() + " is the sample value from local.settings.sample.json, which anyone can read: set a secret"
                + " of your own on a stamp whose " + AppSetting.PUBLIC_BASE_URL.key() + " is not a loopback address");
    }

    private static byte[] keyBytes(String sample) {
        try {
            return TokenKey.parse(sample).key();
        } catch (IllegalArgumentException notAKey) {
            return null;
        }
    }

    private static long distinct(byte[] bytes) {
        boolean[] seen = new boolean[256];
        long count = 0;
        for (byte b : bytes) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                count++;
            }
        }
        return count;
    }
}
