package io.mailbridge.outbound;

/** Reasons from servers as the outbox keeps and the CRM reads them: one line, bounded. */
final class Reasons {
    static final int MAX_LENGTH = 500;

    private Reasons() {}

    static String shortened(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH - 3) + "..." : line;
    }
}
