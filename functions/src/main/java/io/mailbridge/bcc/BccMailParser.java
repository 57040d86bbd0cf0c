package io.mailbridge.bcc;

import io.mailbridge.Lazy;
import io.mailbridge.inbound.MailItem;
import io.mailbridge.inbound.MailText;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a raw RFC 822 mail, byte for byte as the inbound mail gateway received it, into the
 * {@link MailItem} the CRM receives, with Angus Mail. What it decides, each for mail that real
 * clients send:
 * <ul>
 * <li>Bodies: text/plain and text/html parts that are not attachments. Of a multipart/alternative,
 *     the last alternative of each type (RFC 2046 orders them plainest first); several body parts of
 *     one type elsewhere (Apple Mail splits a body around inline images) are joined in order.</li>
 * <li>Attachments: every other leaf part, and any part with a file name or an attachment
 *     disposition: name (RFC 2047 and RFC 2231 decoded; an attached mail without one is named by its
 *     Subject, else {@value #UNTITLED_MAIL}), content type, and size after transfer decoding; inline
 *     when so disposed, or undisposed with a Content-ID. Their content is not kept.</li>
 * <li>Charsets: the declared one when Java knows it. Without one, with us-ascii (often a mislabel of
 *     8-bit text) or with a label Java does not know: UTF-8 when the bytes are valid UTF-8, else
 *     windows-1252, the commonest mislabel. Raw 8-bit bytes in header fields the same way: UTF-8 as
 *     RFC 6532 allows, else windows-1252. Control characters (C0 but tab, DEL, C1), raw or RFC 2047
 *     encoded, are removed from every header field the CRM gets: subject, names, addresses, Message-ID,
 *     file names.</li>
 * <li>Forwards: a mail whose one attachment, inline images aside, is a message/rfc822 part forwards
 *     that mail; the carried mail is read as a mail of its own, and so on for a forward of a forward.</li>
 * <li>Identity: the Message-ID. A mail without one gets {@code <hex@mailbridge.invalid>}: the SHA-256
 *     of its originator headers (From, Sender, Reply-To, To, Cc, Date, Subject, In-Reply-To, References)
 *     and its body, line endings ignored.
 *     Trace headers that a repeat delivery adds (Received, Delivered-To, ...) do not change it, so the
 *     same mail BCC'd twice keeps one identity; the reserved .invalid domain shows it was made up.</li>
 * <li>Malformed, refused with a problem that names what and where (part numbers as IMAP counts them):
 *     no header fields or a header line that is not a field, no From address or a From that is not
 *     local-part@domain, an address header that is not addresses, a multipart without its start
 *     boundary, a part that is not valid in its transfer encoding, parts nested deeper than
 *     {@value #MAX_DEPTH} levels; the same inside a forwarded mail. Problems never quote the mail.</li>
 * </ul>
 */
public final class BccMailParser {
    /** Multiparts and forwarded mails nested deeper than this are refused: no client writes them, zip-bomb-like mail does. */
    static final int MAX_DEPTH = 20;
    /** The headers the originator writes, which a relay or a repeated delivery leaves alone. */
    private static final List<String> IDENTITY_HEADERS =
            List.of("From", "Sender", "Reply-To", "To", "Cc", "Date", "Subject", "In-Reply-To", "References");
    private static final String MADE_UP_ID_DOMAIN = "mailbridge.invalid";
    /** The name of an attached mail with neither a file name nor a subject, as mail clients list a mail without a subject. */
    static final String UNTITLED_MAIL = "(no subject)";

    private static final Pattern HEADER_FIELD = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]+[ \\t]*:");
    private static final Pattern MEDIA_TYPE = Pattern.compile("\\s*([A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+)");
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");
    /** Angus refuses unquoted names with spaces ("filename=my offer.pdf"); mailers write them anyway. */
    private static final Pattern LENIENT_NAME = Pattern.compile("(?i)(?:^|;)\\s*(?:file)?name\\s*=\\s*(?:\"([^\"]*)\"|([^;]*))");
    /**
     * local-part@domain, loosely: mailers write dot-dots, quoted local parts and UTF-8, but never an unquoted space,
     * bracket or second @, which is what Angus's lenient parsing leaves in the address of "Ada" or "Ada &lt;ada@x".
     */
    private static final Pattern MAILBOX = Pattern.compile(
            "(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s\"<>()\\[\\],;:@\\\\]+)@(?:[^\\s\"<>()\\[\\],;:@\\\\]+|\\[[^\\s\\[\\]\\\\]+\\])");
    private static final Set<String> KNOWN_ENCODINGS =
            Set.of("base64", "quoted-printable", "uuencode", "x-uuencode", "x-uue", "7bit", "8bit", "binary");

    /** Made on the first mail: Angus Mail is not a cold start's business. */
    private final Lazy<Session> session = Lazy.of(() -> {
        Properties properties = new Properties();
        // Header bytes stay one char per byte, for header() to decode; Angus's UTF-8 reading makes U+FFFD of Latin-1.
        properties.setProperty("mail.mime.allowutf8", "false");
        return Session.getInstance(properties);
    });

    /**
     * Reads one mail.
     *
     * @param receivedAt when the gateway handed it over, which becomes the mail's receivedAt
     * @throws BccMalformedMailException naming the first problem found
     */
    public BccMail parse(byte[] raw, Instant receivedAt) throws BccMalformedMailException {
        return parse(raw, receivedAt, "the mail", "", 0);
    }

    private BccMail parse(byte[] raw, Instant receivedAt, String mailName, String path, int depth) throws BccMalformedMailException {
        MimeMessage message = open(raw, mailName);
        checkHeaderFields(message, mailName);
        MailItem.Address from = author(message, mailName);
        Content content = new Content();
        collect(message, path, mailName, true, depth, content);
        Optional<BccMail> forwarded = Optional.empty();
        Optional<CarriedMail> carried = content.forwardedMail();
        if (carried.isPresent()) {
            forwarded = Optional.of(parse(carried.get().raw(), receivedAt, "the mail forwarded in " + carried.get().where(),
                    carried.get().path(), depth + 1));
        }
        MailItem item = new MailItem(MailItem.Source.BCC, null, identity(message, mailName), null, subject(message), from,
                addresses(message, "To", mailName), addresses(message, "Cc", mailName), List.of(), sentAt(message), receivedAt,
                joined(content.texts), joined(content.htmls), content.attachments, null);
        return new BccMail(item, deliveryAddresses(message), forwarded);
    }

    private MimeMessage open(byte[] raw, String mailName) throws BccMalformedMailException {
        try {
            return new MimeMessage(session.get(), new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new BccMalformedMailException(mailName + " cannot be read as a mail");
        }
    }

    private static void checkHeaderFields(MimeMessage message, String mailName) throws BccMalformedMailException {
        Enumeration<String> lines;
        try {
            lines = message.getAllHeaderLines();
        } catch (MessagingException e) {
            throw new BccMalformedMailException("the header of " + mailName + " cannot be read");
        }
        if (!lines.hasMoreElements()) {
            throw new BccMalformedMailException(mailName + " has no header fields");
        }
        for (int field = 1; lines.hasMoreElements(); field++) {
            if (!HEADER_FIELD.matcher(lines.nextElement()).lookingAt()) {
                throw new BccMalformedMailException("header field " + field + " of " + mailName + " is not a 'Name: value' field");
            }
        }
    }

    /** Walks the part tree; {@code path} is the part's number as IMAP counts them ("" for the outermost mail itself). */
    private void collect(MimePart part, String path, String mailName, boolean mailBody, int depth, Content content)
            throws BccMalformedMailException {
        String type = mediaType(part);
        String where = mailBody ? "the body of " + mailName + " (" + type + ")" : "part " + path + " (" + type + ")";
        if (depth > MAX_DEPTH) {
            throw new BccMalformedMailException(where + " is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (type.startsWith("multipart/")) {
            collectParts(part, path, mailName, depth, content, type.equals("multipart/alternative"), where);
        } else if (type.equals("message/rfc822")) {
            byte[] mail = decodedBytes(part, where);
            String name = fileName(part);
            content.attachments.add(new MailItem.Attachment(null, name != null ? name : attachedMailName(mail), type, mail.length,
                    isInline(part)));
            content.carriedMails.add(new CarriedMail(where, path, mail));
        } else if ((type.equals("text/plain") || type.equals("text/html")) && !isAttachment(part)) {
            String text = text(part, where);
            (type.equals("text/plain") ? content.texts : content.htmls).add(text);
        } else {
            content.attachments.add(new MailItem.Attachment(null, fileName(part), type, decodedSize(part, where), isInline(part)));
        }
    }

    private void collectParts(MimePart part, String path, String mailName, int depth, Content content, boolean alternatives,
            String where) throws BccMalformedMailException {
        List<String> texts = List.of();
        List<String> htmls = List.of();
        try {
            MimeMultipart multipart = new MimeMultipart(new MimePartDataSource(part));
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String childPath = path.isEmpty() ? Integer.toString(i + 1) : path + "." + (i + 1);
                if (!alternatives) {
                    collect((MimePart) child, childPath, mailName, false, depth + 1, content);
                    continue;
                }
                Content alternative = new Content();
                collect((MimePart) child, childPath, mailName, false, depth + 1, alternative);
                texts = alternative.texts.isEmpty() ? texts : alternative.texts;
                htmls = alternative.htmls.isEmpty() ? htmls : alternative.htmls;
                content.attachments.addAll(alternative.attachments);
                content.carriedMails.addAll(alternative.carriedMails);
            }
        } catch (MessagingException e) {
            // Angus's messages can quote the mail; only this one is known to be a fixed phrase.
            String problem = String.valueOf(e.getMessage()).contains("Missing start boundary")
                    ? " has no start boundary" : " cannot be split into its parts";
            throw new BccMalformedMailException(where + problem);
        }
        content.texts.addAll(texts);
        content.htmls.addAll(htmls);
    }

    private static boolean isAttachment(MimePart part) {
        return "attachment".equals(disposition(part)) || fileName(part) != null;
    }

    private static boolean isInline(MimePart part) {
        String disposition = disposition(part);
        return disposition == null ? header(part, "Content-ID") != null : disposition.equals("inline");
    }

    private static String disposition(MimePart part) {
        String value = header(part, "Content-Disposition");
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        String disposition = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return disposition.isEmpty() ? null : disposition;
    }

    private static String fileName(MimePart part) {
        try {
            String disposition = header(part, "Content-Disposition");
            String type = header(part, "Content-Type");
            String name = disposition == null ? null : new ContentDisposition(disposition).getParameter("filename");
            name = name == null && type != null ? new ContentType(type).getParameter("name") : name;
            if (name != null && !name.isBlank()) {
                // Outlook and others put RFC 2047 words in file names, which RFC 2231 never allowed but every client reads.
                return headerText(name.strip());
            }
        } catch (ParseException e) {
            // A parameter list Angus reads strictly; the lenient reading below still finds the name.
        }
        for (String header : List.of("Content-Disposition", "Content-Type")) {
            String value = header(part, header);
            Matcher name = value == null ? null : LENIENT_NAME.matcher(value);
            if (name != null && name.find()) {
                String raw = (name.group(1) != null ? name.group(1) : name.group(2)).strip();
                if (!raw.isEmpty()) {
                    return headerText(raw);
                }
            }
        }
        return null;
    }

    /** A header's text for the CRM: RFC 2047 words decoded, and control characters removed, raw or encoded. */
    private static String headerText(String text) {
        try {
            return MailText.withoutControls(MimeUtility.decodeText(text));
        } catch (UnsupportedEncodingException e) {
            return MailText.withoutControls(text);
        }
    }

    /** The lower-cased media type; RFC 2045 reads a missing or unreadable Content-Type as text/plain. */
    private static String mediaType(MimePart part) {
        String value = header(part, "Content-Type");
        Matcher type = value == null ? null : MEDIA_TYPE.matcher(value);
        return type != null && type.lookingAt() ? type.group(1).toLowerCase(Locale.ROOT) : "text/plain";
    }

    private static String text(MimePart part, String where) throws BccMalformedMailException {
        byte[] bytes = decodedBytes(part, where);
        String value = header(part, "Content-Type");
        Matcher label = value == null ? null : CHARSET.matcher(value);
        Optional<Charset> declared = label != null && label.find() ? charset(label.group(1)) : Optional.empty();
        return declared.filter(charset -> !charset.equals(StandardCharsets.US_ASCII))
                .map(charset -> new String(bytes, charset))
                .orElseGet(() -> MailText.utf8OrWindows1252(bytes));
    }

    private static Optional<Charset> charset(String label) {
        try {
            String name = MimeUtility.javaCharset(label);
            return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
        } catch (IllegalCharsetNameException e) {
            return Optional.empty();
        }
    }

    private static byte[] decodedBytes(MimePart part, String where) throws BccMalformedMailException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | MessagingException e) {
            throw notDecodable(part, where);
        }
    }

    private static long decodedSize(MimePart part, String where) throws BccMalformedMailException {
        try (InputStream in = part.getInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | MessagingException e) {
            throw notDecodable(part, where);
        }
    }

    private static BccMalformedMailException notDecodable(MimePart part, String where) {
        String value = header(part, "Content-Transfer-Encoding");
        String encoding = value == null ? "7bit" : value.strip().toLowerCase(Locale.ROOT);
        return new BccMalformedMailException(KNOWN_ENCODINGS.contains(encoding)
                ? where + " is not valid " + encoding
                : where + " has a Content-Transfer-Encoding that is not base64, quoted-printable, uuencode, 7bit, 8bit or binary");
    }

    private static List<MailItem.Address> addresses(MimeMessage message, String header, String mailName)
            throws BccMalformedMailException {
        String value = header(message, header, ",");
        if (value == null) {
            return List.of();
        }
        try {
            return addressesIn(value);
        } catch (AddressException e) {
            throw new BccMalformedMailException("the " + header + " header of " + mailName + " is not a list of addresses");
        }
    }

    /** The first address of the From header, which must be local-part@domain: the CRM files the mail by it. */
    private static MailItem.Address author(MimeMessage message, String mailName) throws BccMalformedMailException {
        String value = header(message, "From", ",");
        List<MailItem.Address> from;
        try {
            from = value == null ? List.of() : addressesIn(value);
        } catch (AddressException e) {
            throw fromIsNotAnAddress(mailName);
        }
        if (from.isEmpty()) {
            throw new BccMalformedMailException(mailName + " has no From address");
        }
        if (!MAILBOX.matcher(from.get(0).address()).matches()) {
            throw fromIsNotAnAddress(mailName);
        }
        return from.get(0);
    }

    private static BccMalformedMailException fromIsNotAnAddress(String mailName) {
        return new BccMalformedMailException("the From header of " + mailName + " is not an address (local-part@domain)");
    }

    /** Group syntax ("Team: a@x, b@y;") counts its members; an empty group ("undisclosed-recipients:;") none. */
    private static List<MailItem.Address> addressesIn(String value) throws AddressException {
        List<MailItem.Address> addresses = new ArrayList<>();
        for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
            InternetAddress[] members = address.isGroup() ? address.getGroup(false) : new InternetAddress[] {address};
            for (InternetAddress member : members == null ? new InternetAddress[0] : members) {
                String mailbox = MailText.withoutControls(member.getAddress());
                String name = MailText.withoutControls(member.getPersonal());
                if (mailbox != null && !mailbox.isBlank()) {
                    addresses.add(new MailItem.Address(name == null || name.isBlank() ? null : name, mailbox.strip()));
                }
            }
        }
        return addresses;
    }

    private static List<String> deliveryAddresses(MimeMessage message) {
        List<String> found = new ArrayList<>();
        for (String header : List.of("Delivered-To", "X-Original-To")) {
            for (String value : headers(message, header)) {
                try {
                    addressesIn(value).forEach(address -> found.add(address.address()));
                } catch (AddressException e) {
                    // A trace header that names no address routes nowhere; the next one may.
                }
            }
        }
        return found;
    }

    private static String subject(MimePart part) {
        String subject = header(part, "Subject");
        return subject == null ? null : headerText(subject).strip();
    }

    /** An attached mail without a file name is named as mail clients list it: by its subject, read from its header alone. */
    private static String attachedMailName(byte[] mail) {
        try {
            String subject = subject(new MimeBodyPart(new InternetHeaders(new ByteArrayInputStream(mail)), new byte[0]));
            return subject == null || subject.isEmpty() ? UNTITLED_MAIL : subject;
        } catch (MessagingException e) {
            return UNTITLED_MAIL;
        }
    }

    private static Instant sentAt(MimeMessage message) {
        try {
            Date sent = message.getSentDate();
            return sent == null ? null : sent.toInstant();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String identity(MimeMessage message, String mailName) throws BccMalformedMailException {
        String messageId = MailText.withoutControls(header(message, "Message-ID", null));
        if (messageId != null && !messageId.isBlank()) {
            return messageId.strip();
        }
        try (InputStream body = message.getRawInputStream()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : IDENTITY_HEADERS) {
                String value = header(message, name, "\n");
                digest.update((name + ":" + (value == null ? "" : value.strip()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // Gateways differ in CRLF or LF; the same mail must digest the same either way.
            for (byte b : body.readAllBytes()) {
                if (b != '\r') {
                    digest.update(b);
                }
            }
            return "<" + HexFormat.of().formatHex(digest.digest()) + "@" + MADE_UP_ID_DOMAIN + ">";
        } catch (IOException | MessagingException e) {
            throw new BccMalformedMailException("the body of " + mailName + " cannot be read");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(MimePart part, String name) {
        return header(part, name, null);
    }

    /** The unfolded value, repeated fields joined by {@code delimiter} (null: the first field only); null when absent. */
    private static String header(MimePart part, String name, String delimiter) {
        List<String> values = headers(part, name);
        return values.isEmpty() ? null : delimiter == null ? values.get(0) : String.join(delimiter, values);
    }

    /** Every field of that name, unfolded and with raw 8-bit bytes decoded: the one way this class reads a header. */
    private static List<String> headers(MimePart part, String name) {
        try {
            String[] values = part.getHeader(name);
            return values == null ? List.of()
                    : Arrays.stream(values).map(value -> MimeUtility.unfold(MailText.headerValue(value))).toList();
        } catch (MessagingException e) {
            return List.of();
        }
    }

    private static String joined(List<String> bodies) {
        return bodies.isEmpty() ? null : String.join("\n", bodies);
    }

    /** A message/rfc822 part: where it is (for problems), its part number and its bytes. */
    private record CarriedMail(String where, String path, byte[] raw) {}

    /** What the walk found so far. */
    private static final class Content {
        final List<String> texts = new ArrayList<>();
        final List<String> htmls = new ArrayList<>();
        final List<MailItem.Attachment> attachments = new ArrayList<>();
        final List<CarriedMail> carriedMails = new ArrayList<>();

        /** The carried mail, when it is the only attachment apart from inline ones (a signature's logo, say). */
        Optional<CarriedMail> forwardedMail() {
            boolean othersAttached = attachments.stream()
                    .anyMatch(attachment -> !attachment.inline() && !attachment.contentType().equals("message/rfc822"));
            return carriedMails.size() == 1 && !othersAttached ? Optional.of(carriedMails.get(0)) : Optional.empty();
        }
    }
}
