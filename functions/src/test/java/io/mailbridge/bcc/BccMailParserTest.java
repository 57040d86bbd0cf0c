package io.mailbridge.bcc;

import io.mailbridge.inbound.MailItem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BccMailParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-26T09:30:00Z");
    private static final Session SESSION = Session.getInstance(new Properties());

    private final BccMailParser parser = new BccMailParser();

    /** Hand-written mail: each char is one byte (ISO-8859-1), so tests can write any byte, and lines end in CRLF. */
    private static byte[] raw(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String bytesAs(String text, Charset charset) {
        return new String(text.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static byte[] written(MimeMessage message) throws MessagingException, IOException {
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private BccMail parse(byte[] raw) throws BccMalformedMailException {
        return parser.parse(raw, RECEIVED);
    }

    private String problemWith(byte[] raw) {
        return assertThrows(BccMalformedMailException.class, () -> parse(raw)).getMessage();
    }

    @Test
    void readsAnAngusBuiltMailWithAlternativeBodiesAndAnAttachment() throws Exception {
        MimeMessage message = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<offer-1@contoso.example>");
            }
        };
        message.setFrom(new InternetAddress("ada@contoso.example", "Ada Lovelace"));
        message.setRecipients(Message.RecipientType.TO, "Buyer <buyer@fabrikam.example>, second@fabrikam.example");
        message.setRecipients(Message.RecipientType.CC, "boss@contoso.example");
        message.setSubject("Offer — Ünïcode", "UTF-8");
        message.setSentDate(Date.from(Instant.parse("2026-11-25T08:00:00Z")));
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Hello, here is the offer: 1 € each.", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p>Hello, here is the offer: 1 € each.</p>", "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        MimeBodyPart bodies = new MimeBodyPart();
        bodies.setContent(alternative);
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(new byte[3000], "application/pdf")));
        pdf.setFileName("offer.pdf");
        pdf.setDisposition(MimeBodyPart.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(bodies);
        mixed.addBodyPart(pdf);
        message.setContent(mixed);

        BccMail mail = parse(written(message));

        MailItem item = mail.item();
        assertEquals(MailItem.Source.BCC, item.source());
        assertNull(item.graphMessageId());
        assertEquals("<offer-1@contoso.example>", item.internetMessageId());
        assertEquals("Offer — Ünïcode", item.subject());
        assertEquals(new MailItem.Address("Ada Lovelace", "ada@contoso.example"), item.from());
        assertEquals(List.of(new MailItem.Address("Buyer", "buyer@fabrikam.example"), new MailItem.Address(null, "second@fabrikam.example")),
                item.to());
        assertEquals(List.of(new MailItem.Address(null, "boss@contoso.example")), item.cc());
        assertEquals(List.of(), item.bcc());
        assertEquals(Instant.parse("2026-11-25T08:00:00Z"), item.sentAt());
        assertEquals(RECEIVED, item.receivedAt());
        assertEquals("Hello, here is the offer: 1 € each.", item.textBody());
        assertEquals("<p>Hello, here is the offer: 1 € each.</p>", item.htmlBody());
        assertEquals(List.of(new MailItem.Attachment(null, "offer.pdf", "application/pdf", 3000, false)), item.attachments());
        assertTrue(mail.forwardedOriginal().isEmpty());
    }

    @Test
    void decodesQuotedPrintableAndBase64Bodies() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/alternative; boundary=\"b1\"",
                "",
                "--b1",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Caf=C3=A9 au lait, a line that is long enough to be soft-broken by the encod=",
                "er.",
                "--b1",
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                "PHA+Q2Fmw6k8L3A+",
                "--b1--"));

        assertEquals("Café au lait, a line that is long enough to be soft-broken by the encoder.", mail.item().textBody());
        assertEquals("<p>Café</p>", mail.item().htmlBody());
    }

    @Test
    void readsIso88591AndWindows1252Bodies() throws Exception {
        BccMail latin1 = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: text/plain; charset=ISO-8859-1",
                "Content-Transfer-Encoding: 8bit",
                "",
                bytesAs("Grüße aus Köln, garçon", StandardCharsets.ISO_8859_1)));
        BccMail windows = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: text/html; charset=\"windows-1252\"",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "<p>=93Quoted=94 =80 5 =96 done</p>"));

        assertEquals("Grüße aus Köln, garçon\r\n", latin1.item().textBody());
        assertEquals("<p>“Quoted” € 5 – done</p>\r\n", windows.item().htmlBody());
        assertNull(windows.item().textBody());
    }

    @Test
    void readsAnIso2022JpBodyAndSubject() throws Exception {
        Charset jis = Charset.forName("ISO-2022-JP");
        BccMail mail = parse(raw(
                "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>",
                "Subject: =?ISO-2022-JP?B?GyRCJCo4K0BRJGobKEI=?=",
                "Content-Type: text/plain; charset=ISO-2022-JP",
                "Content-Transfer-Encoding: 7bit",
                "",
                bytesAs("お見積りです。", jis)));

        assertEquals("お見積り", mail.item().subject());
        assertEquals("山田", mail.item().from().name());
        assertEquals("お見積りです。\r\n", mail.item().textBody());
    }

    @Test
    void readsUndeclaredOrUnknownCharsetsAsUtf8ElseWindows1252() throws Exception {
        BccMail undeclaredUtf8 = parse(raw("From: a@contoso.example", "", bytesAs("naïve – ok", StandardCharsets.UTF_8)));
        BccMail mislabelledAscii = parse(raw("From: a@contoso.example", "Content-Type: text/plain; charset=us-ascii", "",
                bytesAs("déjà vu", StandardCharsets.ISO_8859_1)));
        BccMail unknownLabel = parse(raw("From: a@contoso.example", "Content-Type: text/plain; charset=x-no-such-charset", "",
                bytesAs("Preis: 10 €", Charset.forName("windows-1252"))));

        assertEquals("naïve – ok\r\n", undeclaredUtf8.item().textBody());
        assertEquals("déjà vu\r\n", mislabelledAscii.item().textBody());
        assertEquals("Preis: 10 €\r\n", unknownLabel.item().textBody());
    }

    @Test
    void decodesRfc2231AndRfc2047FileNamesAndToleratesUnquotedOnes() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=xyz",
                "",
                "--xyz",
                "Content-Type: text/plain",
                "",
                "See the files.",
                "--xyz",
                "Content-Type: application/pdf",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment;",
                " filename*0*=UTF-8''%E2%82%AC%20rates%20;",
                " filename*1*=for%20K%C3%B6ln;",
                " filename*2=\".pdf\"",
                "",
                "QUJD",
                "--xyz",
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;",
                "\tname=\"=?utf-8?B?UHLDpHNlbnRhdGlvbi54bHN4?=\"",
                "Content-Disposition: attachment; filename=\"=?utf-8?B?UHLDpHNlbnRhdGlvbi54bHN4?=\"",
                "",
                "xlsx bytes",
                "--xyz",
                "Content-Type: image/png",
                "Content-Disposition: attachment; filename=my scan 2.png",
                "",
                "png",
                "--xyz--"));

        List<MailItem.Attachment> attachments = mail.item().attachments();
        assertEquals("€ rates for Köln.pdf", attachments.get(0).name());
        assertEquals(3, attachments.get(0).size());
        assertEquals("Präsentation.xlsx", attachments.get(1).name());
        assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", attachments.get(1).contentType());
        assertEquals("my scan 2.png", attachments.get(2).name());
        assertEquals("See the files.", mail.item().textBody());
    }

    @Test
    void unfoldsLongFoldedHeaders() throws Exception {
        BccMail mail = parse(raw(
                "From: \"Lovelace, Ada\"",
                "   <ada@contoso.example>",
                "To: one@fabrikam.example,",
                "\ttwo@fabrikam.example,",
                " =?UTF-8?Q?Th=C3=A9r=C3=A8se?= <three@fabrikam.example>",
                "Subject: =?UTF-8?Q?A_subject_that_goes_on_and_on_=E2=80=93_far_beyond_one_line?=",
                " =?UTF-8?Q?_and_is_folded_by_the_sender?= plus plain words",
                "Message-ID:",
                " <folded-id@contoso.example>",
                "",
                "Body"));

        MailItem item = mail.item();
        assertEquals(new MailItem.Address("Lovelace, Ada", "ada@contoso.example"), item.from());
        assertEquals(List.of("one@fabrikam.example", "two@fabrikam.example", "three@fabrikam.example"),
                item.to().stream().map(MailItem.Address::address).toList());
        assertEquals("Thérèse", item.to().get(2).name());
        assertEquals("A subject that goes on and on – far beyond one line and is folded by the sender plus plain words", item.subject());
        assertEquals("<folded-id@contoso.example>", item.internetMessageId());
    }

    @Test
    void readsRawUtf8Headers() throws Exception {
        BccMail mail = parse(raw(
                "From: " + bytesAs("Zoë Müller <zoe@fabrikam.example>", StandardCharsets.UTF_8),
                "Subject: " + bytesAs("Angebot für Zoë", StandardCharsets.UTF_8),
                "Content-Type: text/plain; charset=utf-8",
                "",
                bytesAs("Grüße", StandardCharsets.UTF_8)));

        assertEquals("Zoë Müller", mail.item().from().name());
        assertEquals("Angebot für Zoë", mail.item().subject());
    }

    /** A mail with these header fields, a text body and one attached PDF whose part has {@code pdfHeaders}. */
    private static byte[] mailWithAPdf(List<String> headers, String... pdfHeaders) {
        List<String> lines = new java.util.ArrayList<>(headers);
        lines.addAll(List.of("Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain; charset=utf-8", "", "Body",
                "--b"));
        lines.addAll(List.of(pdfHeaders));
        lines.addAll(List.of("", "pdf", "--b--"));
        return raw(lines.toArray(String[]::new));
    }

    @Test
    void readsRawUtf8HeadersWithoutReplacementCharacters() throws Exception {
        BccMail mail = parse(mailWithAPdf(List.of(
                "From: " + bytesAs("Grüße — 日本 <yamada@example.jp>", StandardCharsets.UTF_8),
                "To: " + bytesAs("Jörg <jörg@exämple.de>", StandardCharsets.UTF_8),
                "Subject: " + bytesAs("Grüße — 日本", StandardCharsets.UTF_8)),
                "Content-Type: application/pdf",
                "Content-Disposition: attachment; filename=\"" + bytesAs("Angebot für 日本.pdf", StandardCharsets.UTF_8) + "\""));

        assertEquals("Grüße — 日本", mail.item().subject());
        assertEquals(new MailItem.Address("Grüße — 日本", "yamada@example.jp"), mail.item().from());
        assertEquals(List.of(new MailItem.Address("Jörg", "jörg@exämple.de")), mail.item().to());
        assertEquals("Angebot für 日本.pdf", mail.item().attachments().get(0).name());
    }

    @Test
    void readsRawHeaderBytesThatAreNotUtf8AsWindows1252() throws Exception {
        BccMail mail = parse(mailWithAPdf(List.of(
                "From: " + bytesAs("Jürgen Größ <juergen@fabrikam.example>", StandardCharsets.ISO_8859_1),
                "Subject: " + bytesAs("Grüße aus Köln – 10 €", Charset.forName("windows-1252"))),
                "Content-Type: application/pdf; name=\"" + bytesAs("Größe.pdf", StandardCharsets.ISO_8859_1) + "\""));

        assertEquals("Grüße aus Köln – 10 €", mail.item().subject());
        assertEquals(new MailItem.Address("Jürgen Größ", "juergen@fabrikam.example"), mail.item().from());
        assertEquals("Größe.pdf", mail.item().attachments().get(0).name());
    }

    @Test
    void removesControlCharactersRawOrEncodedFromEveryHeaderFieldButKeepsTabs() throws Exception {
        BccMail mail = parse(mailWithAPdf(List.of(
                "From: \"Ada\u0000 Love\u0007lace\" <ada\u0001@contoso.example>",
                "To: =?UTF-8?Q?Buy=C2=85er=1B?= <buyer@fabrikam.example\u007F>, =?UTF-8?Q?=00?= <second@fabrikam.example>",
                "Cc: boss@contoso.example",
                "Subject: =?UTF-8?Q?Offer=00=0D=0A_=C2=9Bdone?=\tnow\u0008",
                "Message-ID: <id\u0000-1@contoso.example>"),
                "Content-Type: application/pdf",
                "Content-Disposition: attachment; filename=\"=?UTF-8?Q?off=00er=07.pdf?=\""));

        MailItem item = mail.item();
        assertEquals("Offer done\tnow", item.subject());
        assertEquals(new MailItem.Address("Ada Lovelace", "ada@contoso.example"), item.from());
        assertEquals(List.of(new MailItem.Address("Buyer", "buyer@fabrikam.example"), new MailItem.Address(null, "second@fabrikam.example")),
                item.to());
        assertEquals("<id-1@contoso.example>", item.internetMessageId());
        assertEquals("offer.pdf", item.attachments().get(0).name());
    }

    @Test
    void marksTheImagesOfARelatedBodyInlineAndJoinsBodyPartsAroundThem() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=outer",
                "",
                "--outer",
                "Content-Type: multipart/related; boundary=rel",
                "",
                "--rel",
                "Content-Type: text/html; charset=utf-8",
                "",
                "<p>Logo: <img src=\"cid:logo\"></p>",
                "--rel",
                "Content-Type: image/png",
                "Content-ID: <logo>",
                "Content-Transfer-Encoding: base64",
                "",
                "iVBORw0KGgo=",
                "--rel--",
                "--outer",
                "Content-Type: image/jpeg; name=photo.jpg",
                "Content-Disposition: inline; filename=photo.jpg",
                "",
                "jpeg",
                "--outer",
                "Content-Type: text/html; charset=utf-8",
                "",
                "<p>After the photo</p>",
                "--outer--"));

        assertEquals("<p>Logo: <img src=\"cid:logo\"></p>\n<p>After the photo</p>", mail.item().htmlBody());
        assertEquals(List.of(new MailItem.Attachment(null, null, "image/png", 8, true),
                new MailItem.Attachment(null, "photo.jpg", "image/jpeg", 4, true)), mail.item().attachments());
    }

    @Test
    void toleratesAMissingEndBoundary() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=cut",
                "",
                "--cut",
                "Content-Type: text/plain",
                "",
                "The gateway cut nothing, the sender did"));

        assertEquals("The gateway cut nothing, the sender did\r\n", mail.item().textBody());
    }

    private static byte[] prospectMail() {
        return raw(
                "From: Buyer <buyer@fabrikam.example>",
                "To: ada@contoso.example",
                "Subject: Our order",
                "Date: Tue, 24 Nov 2026 16:00:00 +0100",
                "Message-ID: <order-7@fabrikam.example>",
                "Content-Type: text/plain; charset=utf-8",
                "",
                "Please send 10 units.");
    }

    /** Each forward gets a boundary of its own, as mailers make them, so a forward of a forward stays one mail. */
    private static byte[] forwardOf(byte[] original, String from, String... extraParts) {
        String boundary = "fwd-" + Integer.toHexString(from.hashCode());
        List<String> lines = new java.util.ArrayList<>(List.of(
                "From: " + from,
                "To: bcc-abc@bcc.mailbridge.test",
                "Subject: Fwd: Our order",
                "Message-ID: <" + boundary + "@contoso.example>",
                "Content-Type: multipart/mixed; boundary=" + boundary,
                "",
                "--" + boundary,
                "Content-Type: multipart/related; boundary=note",
                "",
                "--note",
                "Content-Type: text/html",
                "",
                "<p>For the CRM</p><img src=\"cid:sig\">",
                "--note",
                "Content-Type: image/png",
                "Content-ID: <sig>",
                "Content-Disposition: inline",
                "",
                "logo",
                "--note--"));
        for (String part : extraParts) {
            lines.add("--" + boundary);
            lines.add(part);
        }
        lines.addAll(List.of(
                "--" + boundary,
                "Content-Type: message/rfc822",
                "Content-Disposition: attachment; filename=\"Our order.eml\"",
                "",
                new String(original, StandardCharsets.ISO_8859_1),
                "--" + boundary + "--"));
        return raw(lines.toArray(String[]::new));
    }

    @Test
    void readsAMailForwardedAsAnAttachmentAsTheOriginalItCarries() throws Exception {
        BccMail forward = parse(forwardOf(prospectMail(), "ada@contoso.example"));

        assertEquals("Fwd: Our order", forward.item().subject());
        assertEquals("<p>For the CRM</p><img src=\"cid:sig\">", forward.item().htmlBody());
        BccMail original = forward.forwardedOriginal().orElseThrow();
        assertEquals("<order-7@fabrikam.example>", original.item().internetMessageId());
        assertEquals(new MailItem.Address("Buyer", "buyer@fabrikam.example"), original.item().from());
        assertEquals("Our order", original.item().subject());
        assertEquals(Instant.parse("2026-11-24T15:00:00Z"), original.item().sentAt());
        assertEquals("Please send 10 units.\r\n", original.item().textBody());
        assertEquals(MailItem.Source.BCC, original.item().source());
        assertTrue(original.forwardedOriginal().isEmpty());
    }

    @Test
    void unwrapsAForwardOfAForward() throws Exception {
        byte[] colleaguesForward = forwardOf(prospectMail(), "colleague@contoso.example");

        BccMail outer = parse(forwardOf(colleaguesForward, "ada@contoso.example"));

        BccMail middle = outer.forwardedOriginal().orElseThrow();
        assertEquals("colleague@contoso.example", middle.item().from().address());
        assertEquals("<order-7@fabrikam.example>", middle.forwardedOriginal().orElseThrow().item().internetMessageId());
    }

    @Test
    void aMailWithAnAttachedMailAndAnotherAttachmentForwardsNothing() throws Exception {
        String pdf = "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\npdf";

        BccMail mail = parse(forwardOf(prospectMail(), "ada@contoso.example", pdf));

        assertTrue(mail.forwardedOriginal().isEmpty());
        assertEquals(List.of("image/png", "application/pdf", "message/rfc822"),
                mail.item().attachments().stream().map(MailItem.Attachment::contentType).toList());
        assertEquals("Our order.eml", mail.item().attachments().get(2).name());
    }

    @Test
    void namesAnAttachedMailWithoutAFileNameByItsSubjectElseAsUntitled() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=m",
                "",
                "--m",
                "Content-Type: text/plain",
                "",
                "Three mails for the CRM",
                "--m",
                "Content-Type: message/rfc822",
                "",
                "From: buyer@fabrikam.example",
                "Subject: =?UTF-8?Q?Angebot_f=C3=BCr_K=C3=B6ln=00?=",
                "",
                "Body",
                "--m",
                "Content-Type: message/rfc822",
                "Content-Disposition: attachment",
                "",
                "From: buyer@fabrikam.example",
                "Subject: \t ",
                "",
                "Body",
                "--m",
                "Content-Type: message/rfc822",
                "",
                "From: buyer@fabrikam.example",
                "",
                "Body",
                "--m--"));

        assertEquals(List.of("Angebot für Köln", BccMailParser.UNTITLED_MAIL, BccMailParser.UNTITLED_MAIL),
                mail.item().attachments().stream().map(MailItem.Attachment::name).toList());
        assertEquals("(no subject)", BccMailParser.UNTITLED_MAIL);
    }

    @Test
    void anInlineForwardIsJustAMail() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "To: bcc-abc@bcc.mailbridge.test",
                "Cc: buyer@fabrikam.example",
                "Subject: Fwd: Our order",
                "",
                "---------- Forwarded message ---------",
                "From: Buyer <buyer@fabrikam.example>",
                "Subject: Our order",
                "",
                "Please send 10 units."));

        assertTrue(mail.forwardedOriginal().isEmpty());
        assertEquals("ada@contoso.example", mail.item().from().address());
        assertTrue(mail.item().textBody().contains("Please send 10 units."));
    }

    @Test
    void givesAMailWithoutMessageIdAMadeUpIdentityThatTraceHeadersAndLineEndingsDoNotChange() throws Exception {
        byte[] mail = raw("From: ada@contoso.example", "To: buyer@fabrikam.example", "Subject: No id", "", "Body one");
        byte[] relayed = raw("Received: from gateway by bcc.mailbridge.test", "Delivered-To: bcc-abc@bcc.mailbridge.test",
                "From: ada@contoso.example", "To: buyer@fabrikam.example", "Subject: No id", "", "Body one");
        byte[] withLf = new String(mail, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] otherBody = raw("From: ada@contoso.example", "To: buyer@fabrikam.example", "Subject: No id", "", "Body two");

        String id = parse(mail).item().internetMessageId();

        assertTrue(id.matches("<[0-9a-f]{64}@mailbridge\\.invalid>"), id);
        assertEquals(id, parse(mail).item().internetMessageId());
        assertEquals(id, parse(relayed).item().internetMessageId());
        assertEquals(id, parse(withLf).item().internetMessageId());
        assertNotEquals(id, parse(otherBody).item().internetMessageId());
    }

    @Test
    void listsDeliveredToThenXOriginalToAddressesTopmostFirst() throws Exception {
        BccMail mail = parse(raw(
                "Delivered-To: bcc-late@bcc.mailbridge.test",
                "X-Original-To: <bcc-original@bcc.mailbridge.test>",
                "Delivered-To: bcc-early@bcc.mailbridge.test",
                "From: ada@contoso.example",
                "",
                "Body"));

        assertEquals(List.of("bcc-late@bcc.mailbridge.test", "bcc-early@bcc.mailbridge.test", "bcc-original@bcc.mailbridge.test"),
                mail.deliveryAddresses());
    }

    @Test
    void countsTheMembersOfAddressGroupsAndSkipsEmptyGroups() throws Exception {
        BccMail mail = parse(raw(
                "From: ada@contoso.example",
                "To: undisclosed-recipients:;",
                "Cc: Buyers: one@fabrikam.example, two@fabrikam.example;",
                "",
                "Body"));

        assertEquals(List.of(), mail.item().to());
        assertEquals(List.of("one@fabrikam.example", "two@fabrikam.example"), mail.item().cc().stream().map(MailItem.Address::address).toList());
    }

    @Test
    void refusesGarbage() {
        byte[] garbage = new byte[512];
        new java.util.Random(7).nextBytes(garbage);

        assertEquals("header field 1 of the mail is not a 'Name: value' field", problemWith(garbage));
        assertEquals("header field 1 of the mail is not a 'Name: value' field", problemWith(raw("This is not a mail", "", "at all")));
        assertEquals("the mail has no header fields", problemWith(raw("", "only a body")));
    }

    @Test
    void refusesAMailWithoutAFromAddress() {
        assertEquals("the mail has no From address", problemWith(raw("To: buyer@fabrikam.example", "Subject: Anonymous", "", "Body")));
        assertEquals("the mail has no From address", problemWith(raw("From: undisclosed:;", "", "Body")));
    }

    @Test
    void refusesAFromThatIsNotAnAddressNamingTheHeaderWithoutQuotingIt() {
        for (String from : List.of("Ada Lovelace", "Ada", "ada@", "@contoso.example", "Ada <ada@contoso.example", "ada @ contoso.example",
                "ada@contoso.example@fabrikam.example", "<ada>")) {
            String problem = problemWith(raw("From: " + from, "Subject: Hi", "", "Body"));

            assertEquals("the From header of the mail is not an address (local-part@domain)", problem, from);
        }
        assertEquals("the From header of the mail forwarded in part 2 (message/rfc822) is not an address (local-part@domain)",
                problemWith(forwardOf(raw("From: Buyer", "Subject: Our order", "", "Body"), "ada@contoso.example")));
    }

    @Test
    void takesTheFromAddressesRealMailersWrite() throws Exception {
        for (String address : List.of("a..b.@docomo.ne.jp", "\"ada lovelace\"@contoso.example", "ada@[192.0.2.1]", "ada+crm@contoso",
                "jörg@exämple.de")) {
            BccMail mail = parse(raw("From: Someone <" + bytesAs(address, StandardCharsets.UTF_8) + ">", "", "Body"));

            assertEquals(address, mail.item().from().address());
        }
    }

    @Test
    void refusesAMultipartWithoutItsStartBoundary() {
        assertEquals("the body of the mail (multipart/mixed) has no start boundary", problemWith(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=missing",
                "",
                "No boundary anywhere")));
    }

    @Test
    void refusesInvalidBase64NamingThePartWithoutQuotingTheMail() {
        String problem = problemWith(raw(
                "From: ada@contoso.example",
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                "Content-Type: text/plain",
                "",
                "Hi",
                "--b",
                "Content-Type: application/pdf",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=secret.pdf",
                "",
                "SECRETSTUFF=x=",
                "--b--"));

        assertEquals("part 2 (application/pdf) is not valid base64", problem);
        assertFalse(problem.contains("SECRET"));
    }

    @Test
    void refusesAnUnknownTransferEncoding() {
        assertEquals("the body of the mail (text/plain) has a Content-Transfer-Encoding that is not base64, quoted-printable,"
                + " uuencode, 7bit, 8bit or binary",
                problemWith(raw("From: ada@contoso.example", "Content-Transfer-Encoding: x-rot13", "", "Uryyb")));
    }

    @Test
    void refusesPartsNestedTooDeep() {
        StringBuilder mail = new StringBuilder("From: ada@contoso.example\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
        int levels = BccMailParser.MAX_DEPTH + 2;
        for (int i = 1; i < levels; i++) {
            mail.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n");
        }
        mail.append("--b").append(levels - 1).append("\r\nContent-Type: text/plain\r\n\r\ndeep\r\n");

        String problem = problemWith(mail.toString().getBytes(StandardCharsets.ISO_8859_1));

        assertTrue(problem.endsWith("is nested more than " + BccMailParser.MAX_DEPTH + " levels deep"), problem);
    }

    @Test
    void refusesAMalformedForwardedMailSayingWhereItIs() {
        byte[] broken = raw("Subject: no sender", "", "Body");

        assertEquals("the mail forwarded in part 2 (message/rfc822) has no From address",
                problemWith(forwardOf(broken, "ada@contoso.example")));
    }
}
