package io.mailbridge.devhost.http;

import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a presented key opens a function, the way the host's authorization levels do.
 * Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every candidate,
 * so neither the time taken nor an early exit tells how close a guess was.
 */
final class KeyCheck {
    private final byte[] masterKey;
    private final List<byte[]> hostKeys = new ArrayList<>();
    private final Map<String, byte[]> functionKeys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    KeyCheck(AccessKeys keys, Set<String> functionNames) {
        Set<String> functions = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        functions.addAll(functionNames);
        masterKey = keys.masterKey() == null ? null : digest(keys.masterKey());
        keys.functionKeys().forEach((name, key) -> {
            if (functions.contains(name)) {
                functionKeys.put(name, digest(key));
            } else {
                hostKeys.add(digest(key));
            }
        });
    }

    boolean allows(AuthorizationLevel level, String functionName, String presentedKey) {
        if (level == AuthorizationLevel.ANONYMOUS) {
            return true;
        }
        if (presentedKey == null || presentedKey.isEmpty()) {
            return false;
        }
        byte[] presented = digest(presentedKey);
        boolean allowed = matches(masterKey, presented);
        if (level == AuthorizationLevel.FUNCTION) {
            allowed |= matches(functionKeys.get(functionName), presented);
            for (byte[] hostKey : hostKeys) {
                allowed |= matches(hostKey, presented);
            }
        }
        return allowed;
    }

    private static boolean matches(byte[] expected, byte[] presented) {
        return expected != null && MessageDigest.isEqual(expected, presented);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
