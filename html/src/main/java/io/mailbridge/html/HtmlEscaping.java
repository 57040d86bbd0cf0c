package io.mailbridge.html;

/** Escaping for text a page echoes; the app's pages and the sandbox's share it, as neither module may depend on the other. */
public final class HtmlEscaping {
    private HtmlEscaping() {}

    /** The text with {@code & < > " '} as character references; null as the empty string. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
