package io.mailbridge.devhost.http;

import java.util.Map;

/**
 * The keys HTTP functions accept, from local.settings.json's "DevHost" section: the master key
 * (the only key for ADMIN functions), and named keys, each either a function's own key (named after
 * the function) or a host key for every FUNCTION-level function (any other name, such as "default").
 */
public record AccessKeys(String masterKey, Map<String, String> functionKeys) {

    public AccessKeys {
        functionKeys = Map.copyOf(functionKeys);
        if (masterKey != null && masterKey.isBlank()) {
            masterKey = null;
        }
    }

    /** No keys: only ANONYMOUS functions answer. */
    public static AccessKeys none() {
        return new AccessKeys(null, Map.of());
    }

    /** Keys are secrets: this names them without their values. */
    @Override
    public String toString() {
        return "AccessKeys[master key " + (masterKey == null ? "unset" : "set") + ", named keys " + functionKeys.keySet() + "]";
    }
}
