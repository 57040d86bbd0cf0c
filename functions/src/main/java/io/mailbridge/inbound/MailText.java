package io.mailbridge.inbound;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Text of raw mail as the CRM should see it: bytes in an unknown or unlabelled charset decoded, control characters gone. */
public final class MailText {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** C0 but tab (CR and LF too: every header field the CRM gets is one line), DEL and C1. */
    private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]");

    private MailText() {}

    /** UTF-8 when the bytes are valid UTF-8, else windows-1252, the commonest mislabel and a superset of Latin-1's letters. */
    public static String utf8OrWindows1252(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, WINDOWS_1252);
        }
    }

    /**
     * A header value as Angus reads it without mail.mime.allowutf8, one char per byte, decoded: raw UTF-8
     * (RFC 6532) as UTF-8, other 8-bit bytes as windows-1252. Angus's own UTF-8 reading turns them into U+FFFD.
     */
    public static String headerValue(String bytesAsChars) {
        if (bytesAsChars.chars().allMatch(c -> c < 0x80)) {
            return bytesAsChars;
        }
        return utf8OrWindows1252(bytesAsChars.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Without control characters, which a mail can carry raw or RFC 2047-encoded in any header field; null stays null. */
    public static String withoutControls(String text) {
        return text == null ? null : CONTROLS.matcher(text).replaceAll("");
    }
}
