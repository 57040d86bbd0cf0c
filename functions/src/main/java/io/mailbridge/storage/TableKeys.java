package io.mailbridge.storage;

/**
 * Makes any string safe as a PartitionKey or RowKey: Table Storage refuses '/', '\', '#', '?' and
 * control characters in keys, and ids from the CRM may contain them. The escaping is reversible and
 * leaves ordinary ids unchanged, so keys stay readable in Storage Explorer.
 */
public final class TableKeys {
    private TableKeys() {}

    public static String escape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (mustEscape(c)) {
                out.append(String.format("%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public static String unescape(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '%' && i + 2 < key.length()) {
                out.append((char) Integer.parseInt(key, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean mustEscape(char c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == '/' || c == '\\' || c == '#' || c == '?' || c == '%';
    }
}
