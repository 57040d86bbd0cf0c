package io.mailbridge.bcc;

import io.mailbridge.inbound.Deliveries;
import io.mailbridge.inbound.MailDelivery;
import io.mailbridge.inbound.MailItem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import io.mailbridge.App;
import io.mailbridge.config.Region;
import io.mailbridge.config.Settings;
import io.mailbridge.crm.CrmEventDeliveryFunction;
import io.mailbridge.crm.Prospects;
import io.mailbridge.mailbox.BccAddresses;
import io.mailbridge.mailbox.ConnectionState;
import io.mailbridge.mailbox.MailboxConnection;
import io.mailbridge.mailbox.MailboxConnections;
import io.mailbridge.mailbox.Profile;
import io.mailbridge.mailbox.SyncMode;
import io.mailbridge.sandbox.crm.CrmEvent;
import io.mailbridge.sandbox.crm.CrmStandIn;
import io.mailbridge.sandbox.crm.CrmStandInExtension;
import io.mailbridge.storage.StorageClients;
import io.mailbridge.storage.StorageNames;
import io.mailbridge.storage.StorageProvisioning;
import io.mailbridge.storage.TableKeys;
import io.mailbridge.support.TestSettings;
import io.mailbridge.support.TestStorage;
import io.mailbridge.testkit.Azurite;
import io.mailbridge.testkit.UniqueNames;
import io.mailbridge.testkit.http.FunctionHttpRequest;
import io.mailbridge.testkit.http.FunctionHttpResponse;
import jakarta.activation.DataHandler;
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
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The BCC endpoint end to end: the function class from the composition root, on a real Azurite, handing
 * signed events to the CRM stand-in through the crm-events queue and {@link CrmEventDeliveryFunction}.
 */
@ExtendWith(CrmStandInExtension.class)
class BccIngestIT {
    private static final String DOMAIN = "bcc.mailbridge.test";
    private static final long MAX_MAIL_BYTES = 4L * 1024 * 1024;
    private static final String PROSPECT = "buyer@fabrikam.example";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Session SESSION = Session.getInstance(new Properties());

    /** An Azurite of this class's own: the crm-events queue has a fixed name, and this class empties it into its CRM. */
    private static Azurite azurite;
    private static CrmStandIn crm;
    private static StorageClients storage;
    private static App app;

    private String account;
    private String ada;
    private String bob;

    @BeforeAll
    static void startTheApp(CrmStandIn standIn) {
        crm = standIn;
        azurite = Azurite.start();
        storage = TestStorage.clients(azurite);
        StorageProvisioning.createAll(storage);
        Map<String, String> values = TestSettings.values();
        values.put("AzureWebJobsStorage", azurite.connectionString());
        values.put("MAILBRIDGE_BCC_DOMAIN", DOMAIN);
        values.put("MAILBRIDGE_BCC_MAX_MAIL_BYTES", Long.toString(MAX_MAIL_BYTES));
        values.put("MAILBRIDGE_CRM_EVENTS_URL", crm.eventsUrl().toString());
        values.put("MAILBRIDGE_CRM_SIGNING_SECRET", crm.signingSecret());
        app = new App(Settings.from(values));
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    /** Each test gets an account of its own with two connected users, Ada and Bob, and one prospect. */
    @BeforeEach
    void connectTwoUsers() {
        account = UniqueNames.next("acct");
        ada = connect("ada", "ada@contoso.example", ConnectionState.ACTIVE);
        bob = connect("bob", "bob@contoso.example", ConnectionState.ACTIVE);
        new Prospects(storage).upsert(account, List.of(PROSPECT));
    }

    private String connect(String userId, String mailbox, ConnectionState state) {
        String address = new BccAddresses(storage, DOMAIN).issue(account, userId);
        Instant now = Instant.now();
        new MailboxConnections(storage).connect(new MailboxConnection(account, userId, mailbox, state, SyncMode.ONE_WAY, Profile.FULL,
                Region.US, List.of(mailbox), address, null, now, now), Optional.empty());
        return address;
    }

    // --- what the gateway does -------------------------------------------------------------------------------

    private static FunctionHttpResponse post(Map<String, String> headers, byte[] body) {
        BccIngestFunction function = app.getInstance(BccIngestFunction.class);
        return (FunctionHttpResponse) function.run(FunctionHttpRequest.of(URI.create("http://localhost:7071/api/bcc/mail"), HttpMethod.POST, headers,
                body.length == 0 ? Optional.empty() : Optional.of(body)));
    }

    private static Map<String, String> gatewayHeaders(String envelopeRecipient) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "message/rfc822");
        headers.put("X-Mailbridge-Gateway-Secret", TestSettings.BCC_GATEWAY_SECRET);
        if (envelopeRecipient != null) {
            headers.put("X-Envelope-Recipient", envelopeRecipient);
        }
        return headers;
    }

    private static FunctionHttpResponse bcc(byte[] mail, String envelopeRecipient) {
        return post(gatewayHeaders(envelopeRecipient), mail);
    }

    /** Runs the CRM delivery function over every queued event, as the host would; returns how many there were. */
    private static int deliverQueuedEvents() {
        QueueClient queue = storage.queues().getQueueClient(StorageNames.CRM_EVENTS_QUEUE);
        CrmEventDeliveryFunction delivery = app.getInstance(CrmEventDeliveryFunction.class);
        int delivered = 0;
        List<QueueMessageItem> batch;
        do {
            batch = new ArrayList<>();
            queue.receiveMessages(32).forEach(batch::add);
            for (QueueMessageItem message : batch) {
                delivery.run(message.getBody().toString());
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                delivered++;
            }
        } while (!batch.isEmpty());
        return delivered;
    }

    private CrmEvent awaitEventFor(String userId, String internetMessageId) {
        return crm.awaitEvent(event -> event.isFor(account, userId)
                && internetMessageId.equals(event.data().path("internetMessageId").asText()), WAIT);
    }

    private long deliveryRowsOfTheAccount() {
        String prefix = TableKeys.escape(account) + "|";
        return StreamSupport.stream(storage.tables().getTableClient(StorageNames.DELIVERIES_TABLE).listEntities().spliterator(), false)
                .filter(entity -> entity.getPartitionKey().startsWith(prefix)).count();
    }

    private void assertNothingStoredOrSent() {
        assertEquals(0, deliveryRowsOfTheAccount(), "delivery rows of " + account);
        assertEquals(0, deliverQueuedEvents(), "queued CRM events");
        assertEquals(List.of(), crm.events().stream().filter(event -> event.accountId().equals(account)).toList());
    }

    // --- mails ---------------------------------------------------------------------------------------------

    private static MimeMessage mail(String from, String to, String subject, String messageId) throws MessagingException {
        MimeMessage message = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                if (messageId != null) {
                    setHeader("Message-ID", messageId);
                }
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        message.setSentDate(new java.util.Date());
        message.setText("Hello from " + from + ".", "UTF-8");
        return message;
    }

    private static byte[] bytes(MimeMessage message) throws MessagingException, IOException {
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] raw(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes of {@code text} in {@code charset}, one char per byte, for {@link #raw} to write as they are. */
    private static String latin1CharsOf(String text, Charset charset) {
        return new String(text.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static byte[] withHeaders(byte[] mail, String... headerLines) {
        return (String.join("\r\n", headerLines) + "\r\n" + new String(mail, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] forward(byte[] original, String from, String to) throws MessagingException, IOException {
        MimeMessage forward = mail(from, to, "Fwd: for the CRM", "<fwd-" + System.nanoTime() + "@contoso.example>");
        MimeBodyPart note = new MimeBodyPart();
        note.setText("See below.", "UTF-8");
        MimeBodyPart attached = new MimeBodyPart();
        attached.setContent(new MimeMessage(SESSION, new java.io.ByteArrayInputStream(original)), "message/rfc822");
        attached.setDisposition(MimeBodyPart.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(note);
        mixed.addBodyPart(attached);
        forward.setContent(mixed);
        return bytes(forward);
    }

    // --- delivery ------------------------------------------------------------------------------------------

    @Test
    void deliversABccdMailOnceToItsOwnerWithTheProspectsFiled() throws Exception {
        MimeMessage message = mail("ada@contoso.example", "Buyer <" + PROSPECT + ">, colleague@contoso.example", "Our offer",
                "<offer-" + account + "@contoso.example>");

        FunctionHttpResponse response = bcc(bytes(message), ada);

        assertEquals(202, response.getStatusCode());
        assertEquals("DELIVERED", response.json().path("outcome").asText());
        assertEquals(1, deliverQueuedEvents());
        CrmEvent event = awaitEventFor("ada", "<offer-" + account + "@contoso.example>");
        assertEquals("email.sent", event.type(), "Ada's own mail, BCC'd: she sent it");
        JsonNode data = event.data();
        assertEquals("BCC", data.path("source").asText());
        assertEquals("ada@contoso.example", data.path("mailbox").asText());
        assertEquals(List.of(PROSPECT), StreamSupport.stream(data.path("prospects").spliterator(), false).map(JsonNode::asText).toList());
        assertEquals("Our offer", data.path("subject").asText());
        assertEquals("Hello from ada@contoso.example.", data.path("textBody").asText());
        assertEquals(1, crm.timesReceived(event.id()));
        assertEquals(List.of(), crm.eventsFor(account, "bob"));
    }

    @Test
    void aMailWithoutAProspectIsNotDelivered() throws Exception {
        FunctionHttpResponse response = bcc(bytes(mail("ada@contoso.example", "friend@elsewhere.example", "Lunch?", null)), ada);

        assertEquals(200, response.getStatusCode());
        assertEquals("NO_PROSPECT", response.json().path("outcome").asText());
        assertNothingStoredOrSent();
    }

    @Test
    void theSameMailBccdTwiceIsDeliveredOnce() throws Exception {
        byte[] mail = bytes(mail(PROSPECT, "ada@contoso.example", "Order", "<order-" + account + "@fabrikam.example>"));

        FunctionHttpResponse first = bcc(mail, ada);
        FunctionHttpResponse again = bcc(withHeaders(mail, "Received: from relay.example by gateway; Thu, 26 Nov 2026 10:00:00 +0000"), ada);

        assertEquals(202, first.getStatusCode());
        assertEquals(200, again.getStatusCode());
        assertEquals("ALREADY_DELIVERED", again.json().path("outcome").asText());
        assertEquals(1, deliverQueuedEvents());
        CrmEvent event = awaitEventFor("ada", "<order-" + account + "@fabrikam.example>");
        assertEquals("email.received", event.type());
        assertEquals(1, crm.timesReceived(event.id()));
    }

    @Test
    void theSameMailPostedByManyRequestsAtOnceIsDeliveredOnceAndEveryOtherAnswerSaysSo() throws Exception {
        int rounds = 5;
        int concurrent = 8;
        java.util.concurrent.ExecutorService gateway = java.util.concurrent.Executors.newFixedThreadPool(concurrent);
        try {
            for (int round = 0; round < rounds; round++) {
                byte[] mail = bytes(mail(PROSPECT, "ada@contoso.example", "Race " + round, "<race-" + round + "-" + account + "@fabrikam.example>"));
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<FunctionHttpResponse>> answers = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    answers.add(gateway.submit(() -> {
                        start.await();
                        return bcc(mail, ada);
                    }));
                }
                start.countDown();
                List<String> outcomes = new ArrayList<>();
                for (java.util.concurrent.Future<FunctionHttpResponse> answer : answers) {
                    outcomes.add(answer.get().getStatusCode() + " " + answer.get().json().path("outcome").asText());
                }
                assertEquals(1, outcomes.stream().filter("202 DELIVERED"::equals).count(), outcomes.toString());
                assertEquals(concurrent - 1, outcomes.stream().filter("200 ALREADY_DELIVERED"::equals).count(), outcomes.toString());
            }
        } finally {
            gateway.shutdownNow();
        }
        assertEquals(rounds, deliverQueuedEvents(), "one CRM event per mail");
        assertEquals(rounds, crm.eventsFor(account, "ada").size());
    }

    @Test
    void aClaimLeftByAWorkerThatDiedIsRetriedOnceItsLeaseLapsesNotLost() throws Exception {
        String messageId = "<orphan-" + account + "@fabrikam.example>";
        byte[] mail = bytes(mail(PROSPECT, "ada@contoso.example", "Orphaned", messageId));
        String mailKey = MailDelivery.mailKey(new MailItem(MailItem.Source.BCC, null, messageId, null, null, null, List.of(), List.of(),
                List.of(), null, null, null, null, List.of(), null));
        Deliveries deliveries = new Deliveries(storage);
        // A worker claimed the mail, then died before publishing it.
        deliveries.claim(account, "ada", mailKey, "email:dead", Instant.now(), Duration.ofMinutes(5));

        FunctionHttpResponse whileHeld = bcc(mail, ada);

        assertEquals(503, whileHeld.getStatusCode(), "the gateway is told to post it again later, not that it was delivered");
        long retryAfter = Long.parseLong(whileHeld.getHeader("Retry-After"));
        assertTrue(retryAfter > 200 && retryAfter <= 301, "until the claim lapses: " + retryAfter);
        assertEquals(0, deliverQueuedEvents());

        deliveries.release(account, "ada", mailKey);
        deliveries.claim(account, "ada", mailKey, "email:dead", Instant.now().minus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
        FunctionHttpResponse afterTheLease = bcc(mail, ada);

        assertEquals(202, afterTheLease.getStatusCode(), "a lapsed claim is taken over");
        assertEquals(1, deliverQueuedEvents());
        assertEquals(1, crm.timesReceived(awaitEventFor("ada", messageId).id()));
    }

    @Test
    void aMailWithoutMessageIdBccdTwiceIsDeliveredOnceUnderAMadeUpIdentity() {
        byte[] mail = raw("From: " + PROSPECT, "To: ada@contoso.example", "Subject: No id " + account,
                "Date: Wed, 25 Nov 2026 10:00:00 +0000", "", "No Message-ID here.");

        FunctionHttpResponse first = bcc(mail, ada);
        FunctionHttpResponse again = bcc(withHeaders(mail, "Delivered-To: " + ada), ada);

        assertEquals("DELIVERED", first.json().path("outcome").asText());
        assertEquals("ALREADY_DELIVERED", again.json().path("outcome").asText());
        assertEquals(1, deliverQueuedEvents());
        List<CrmEvent> events = crm.eventsFor(account, "ada");
        assertEquals(1, events.size());
        assertTrue(events.get(0).data().path("internetMessageId").asText().endsWith("@mailbridge.invalid>"));
    }

    @Test
    void aMailForwardedToTheAddressIsDeliveredAsTheOriginalItCarries() throws Exception {
        byte[] original = bytes(mail(PROSPECT, "ada@contoso.example", "Original question", "<q-" + account + "@fabrikam.example>"));

        FunctionHttpResponse response = bcc(forward(original, "ada@contoso.example", ada), ada);
        FunctionHttpResponse originalLater = bcc(original, ada);

        assertEquals("DELIVERED", response.json().path("outcome").asText());
        assertEquals("ALREADY_DELIVERED", originalLater.json().path("outcome").asText(), "the forward delivered the original itself");
        assertEquals(1, deliverQueuedEvents());
        CrmEvent event = awaitEventFor("ada", "<q-" + account + "@fabrikam.example>");
        assertEquals("email.received", event.type());
        assertEquals(PROSPECT, event.data().path("from").path("address").asText());
        assertEquals("Original question", event.data().path("subject").asText());
    }

    @Test
    void aForwardOfAForwardIsDeliveredAsTheInnermostOriginal() throws Exception {
        byte[] original = bytes(mail(PROSPECT, "colleague@contoso.example", "Deep question", "<deep-" + account + "@fabrikam.example>"));
        byte[] colleaguesForward = forward(original, "colleague@contoso.example", "ada@contoso.example");

        FunctionHttpResponse response = bcc(forward(colleaguesForward, "ada@contoso.example", ada), ada);

        assertEquals("DELIVERED", response.json().path("outcome").asText());
        assertEquals(1, deliverQueuedEvents());
        assertEquals("Deep question", awaitEventFor("ada", "<deep-" + account + "@fabrikam.example>").data().path("subject").asText());
    }

    @Test
    void aProspectsMailWithAMailAttachedListsTheAttachedMailByItsSubject() throws Exception {
        byte[] attached = bytes(mail("colleague@contoso.example", PROSPECT, "Grüße zum Angebot", null));

        assertEquals(202, bcc(forward(attached, PROSPECT, "ada@contoso.example"), ada).getStatusCode());
        assertEquals(1, deliverQueuedEvents());

        CrmEvent event = crm.awaitEvent(candidate -> candidate.isFor(account, "ada"), WAIT);
        assertEquals("Fwd: for the CRM", event.data().path("subject").asText(), "the prospect's own mail, not the one it carries");
        JsonNode attachments = event.data().path("attachments");
        assertEquals(1, attachments.size());
        assertEquals("Grüße zum Angebot", attachments.get(0).path("name").asText());
        assertEquals("message/rfc822", attachments.get(0).path("contentType").asText());
    }

    @Test
    void aMailInAnotherCharsetThanUtf8ArrivesIntact() {
        String body = "Grüße, der Preis ist 10 € – „gut“.";
        byte[] mail = raw("From: " + PROSPECT, "To: ada@contoso.example", "Subject: =?windows-1252?Q?Pr=E4sentation?=",
                "Message-ID: <cp1252-" + account + "@fabrikam.example>", "Content-Type: text/plain; charset=windows-1252",
                "Content-Transfer-Encoding: 8bit", "",
                latin1CharsOf(body, Charset.forName("windows-1252")));

        assertEquals(202, bcc(mail, ada).getStatusCode());
        deliverQueuedEvents();

        JsonNode data = awaitEventFor("ada", "<cp1252-" + account + "@fabrikam.example>").data();
        assertEquals("Präsentation", data.path("subject").asText());
        assertEquals(body + "\r\n", data.path("textBody").asText());
    }

    @Test
    void controlCharactersReachTheCrmInNoHeaderField() {
        String messageId = "<ctl-" + account + "@fabrikam.example>";
        byte[] mail = raw("From: \"Buyer\u0000 Inc\u0007\" <" + PROSPECT + ">", "To: ada@contoso.example",
                "Subject: =?UTF-8?Q?Order=00=1B_=C2=9Bnow?=\u007F", "Message-ID: <ctl-\u0001" + account + "@fabrikam.example>", "", "Body");

        assertEquals(202, bcc(mail, ada).getStatusCode());
        assertEquals(1, deliverQueuedEvents());

        JsonNode data = awaitEventFor("ada", messageId).data();
        assertEquals("Order now", data.path("subject").asText());
        assertEquals("Buyer Inc", data.path("from").path("name").asText());
        assertEquals(PROSPECT, data.path("from").path("address").asText());
    }

    @Test
    void rawUtf8AndRawLatin1HeadersArriveAsTheTextTheyWrite() {
        String utf8Id = "<raw-utf8-" + account + "@fabrikam.example>";
        String latin1Id = "<raw-latin1-" + account + "@fabrikam.example>";
        byte[] utf8 = raw("From: " + latin1CharsOf("Grüße — 日本 <" + PROSPECT + ">", StandardCharsets.UTF_8), "To: ada@contoso.example",
                "Subject: " + latin1CharsOf("Grüße — 日本", StandardCharsets.UTF_8), "Message-ID: " + utf8Id, "", "Body");
        byte[] latin1 = raw("From: " + latin1CharsOf("Jürgen Größ <" + PROSPECT + ">", StandardCharsets.ISO_8859_1),
                "To: ada@contoso.example", "Subject: " + latin1CharsOf("Grüße aus Köln", StandardCharsets.ISO_8859_1),
                "Message-ID: " + latin1Id, "", "Body");

        assertEquals(202, bcc(utf8, ada).getStatusCode());
        assertEquals(202, bcc(latin1, ada).getStatusCode());
        assertEquals(2, deliverQueuedEvents());

        JsonNode fromUtf8 = awaitEventFor("ada", utf8Id).data();
        assertEquals("Grüße — 日本", fromUtf8.path("subject").asText());
        assertEquals("Grüße — 日本", fromUtf8.path("from").path("name").asText());
        JsonNode fromLatin1 = awaitEventFor("ada", latin1Id).data();
        assertEquals("Grüße aus Köln", fromLatin1.path("subject").asText());
        assertEquals("Jürgen Größ", fromLatin1.path("from").path("name").asText());
    }

    @Test
    void aLargeMailWithAttachmentsIsDeliveredEndToEndThroughBlobStorage() throws Exception {
        String text = "Line of the long offer text. ".repeat(8_000);
        MimeMessage message = mail(PROSPECT, "ada@contoso.example", "Large offer", "<large-" + account + "@fabrikam.example>");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText("<p>" + text + "</p>", "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative", textPart, htmlPart);
        MimeBodyPart bodies = new MimeBodyPart();
        bodies.setContent(alternative);
        MimeMultipart mixed = new MimeMultipart("mixed", bodies);
        Random random = new Random(42);
        for (String name : List.of("price list.pdf", "Präsentation.pptx")) {
            byte[] content = new byte[1024 * 1024];
            random.nextBytes(content);
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(content, "application/octet-stream")));
            attachment.setFileName(name);
            mixed.addBodyPart(attachment);
        }
        message.setContent(mixed);
        byte[] mail = bytes(message);
        assertTrue(mail.length > 3_000_000, "a mail of " + mail.length + " bytes");

        assertEquals(202, bcc(mail, ada).getStatusCode());
        assertEquals(1, deliverQueuedEvents());

        JsonNode data = awaitEventFor("ada", "<large-" + account + "@fabrikam.example>").data();
        assertEquals(text, data.path("textBody").asText());
        assertEquals("<p>" + text + "</p>", data.path("htmlBody").asText());
        JsonNode attachments = data.path("attachments");
        assertEquals(2, attachments.size());
        assertEquals("price list.pdf", attachments.get(0).path("name").asText());
        assertEquals("Präsentation.pptx", attachments.get(1).path("name").asText());
        assertEquals(1024 * 1024, attachments.get(1).path("size").asLong());
        assertFalse(storage.blobs().getBlobContainerClient(StorageNames.PAYLOADS_CONTAINER).listBlobs().iterator().hasNext(),
                "the event's blob is deleted once the CRM has it");
    }

    // --- routing -------------------------------------------------------------------------------------------

    @Test
    void theEnvelopeRecipientWinsOverDeliveredTo() throws Exception {
        byte[] mail = withHeaders(bytes(mail(PROSPECT, "ada@contoso.example", "Routed", "<routed-" + account + "@fabrikam.example>")),
                "Delivered-To: " + bob);

        assertEquals(202, bcc(mail, "<" + ada.toUpperCase(java.util.Locale.ROOT) + ">").getStatusCode());
        deliverQueuedEvents();

        awaitEventFor("ada", "<routed-" + account + "@fabrikam.example>");
        assertEquals(List.of(), crm.eventsFor(account, "bob"));
    }

    @Test
    void withoutAnEnvelopeRecipientDeliveredToOrXOriginalToRoutesTheMail() throws Exception {
        byte[] viaDeliveredTo = withHeaders(bytes(mail(PROSPECT, "bob@contoso.example", "One", "<one-" + account + "@fabrikam.example>")),
                "Delivered-To: bob@contoso.example", "Delivered-To: " + bob);
        byte[] viaOriginalTo = withHeaders(bytes(mail(PROSPECT, "ada@contoso.example", "Two", "<two-" + account + "@fabrikam.example>")),
                "Delivered-To: ada@contoso.example", "X-Original-To: " + ada);

        assertEquals(202, bcc(viaDeliveredTo, null).getStatusCode());
        assertEquals(202, bcc(viaOriginalTo, null).getStatusCode());
        assertEquals(2, deliverQueuedEvents());

        awaitEventFor("bob", "<one-" + account + "@fabrikam.example>");
        awaitEventFor("ada", "<two-" + account + "@fabrikam.example>");
    }

    @Test
    void toAndCcAloneNeverRouteAMail() throws Exception {
        MimeMessage message = mail(PROSPECT, ada, "Addressed in the open", "<open-" + account + "@fabrikam.example>");
        message.setRecipients(Message.RecipientType.CC, bob);

        FunctionHttpResponse response = bcc(bytes(message), null);

        assertEquals(400, response.getStatusCode());
        assertEquals("X-Envelope-Recipient", response.json().path("field").asText());
        assertNothingStoredOrSent();
    }

    @Test
    void anUnknownAddressIs404AndNothingIsStored() throws Exception {
        byte[] mail = bytes(mail(PROSPECT, "ada@contoso.example", "Lost", "<lost-" + account + "@fabrikam.example>"));

        FunctionHttpResponse unknown = bcc(mail, "bcc-" + "0".repeat(43) + "@" + DOMAIN);
        FunctionHttpResponse otherDomain = bcc(mail, ada.replace(DOMAIN, "elsewhere.example"));
        FunctionHttpResponse deliveredToUnknown = bcc(withHeaders(mail, "Delivered-To: bcc-nobody@" + DOMAIN), null);

        for (FunctionHttpResponse response : List.of(unknown, otherDomain, deliveredToUnknown)) {
            assertEquals(404, response.getStatusCode());
            assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"));
            assertEquals("Unknown address", response.json().path("title").asText());
        }
        assertNothingStoredOrSent();
    }

    @Test
    void aDisconnectedConnectionsAddressIs404ButOneAwaitingReauthenticationStillTakesMail() throws Exception {
        String carol = connect("carol", "carol@contoso.example", ConnectionState.DISCONNECTED);
        String dave = connect("dave", "dave@contoso.example", ConnectionState.NEEDS_REAUTH);

        FunctionHttpResponse toCarol = bcc(bytes(mail(PROSPECT, "carol@contoso.example", "Hi", "<c-" + account + "@fabrikam.example>")), carol);
        FunctionHttpResponse toDave = bcc(bytes(mail(PROSPECT, "dave@contoso.example", "Hi", "<d-" + account + "@fabrikam.example>")), dave);

        assertEquals(404, toCarol.getStatusCode());
        assertEquals(202, toDave.getStatusCode());
        assertEquals(1, deliverQueuedEvents());
        awaitEventFor("dave", "<d-" + account + "@fabrikam.example>");
        assertEquals(List.of(), crm.eventsFor(account, "carol"));
    }

    // --- refusals ------------------------------------------------------------------------------------------

    @Test
    void aWrongOrMissingGatewaySecretIs401() throws Exception {
        byte[] mail = bytes(mail(PROSPECT, "ada@contoso.example", "Forged", "<forged-" + account + "@fabrikam.example>"));
        Map<String, String> wrong = gatewayHeaders(ada);
        wrong.put("X-Mailbridge-Gateway-Secret", TestSettings.BCC_GATEWAY_SECRET + "x");
        Map<String, String> missing = gatewayHeaders(ada);
        missing.remove("X-Mailbridge-Gateway-Secret");

        for (FunctionHttpResponse response : List.of(post(wrong, mail), post(missing, mail))) {
            assertEquals(401, response.getStatusCode());
            assertEquals("X-Mailbridge-Gateway-Secret is missing or wrong", response.json().path("detail").asText());
            assertFalse(((String) response.getBody()).contains(TestSettings.BCC_GATEWAY_SECRET));
        }
        assertNothingStoredOrSent();
    }

    /** A request whose body the test can tell was never asked for: reading it counts in {@code reads}. */
    private static FunctionHttpRequest<Optional<byte[]>> unreadRequest(Map<String, String> headers, AtomicInteger reads) {
        return new FunctionHttpRequest<>(URI.create("http://localhost:7071/api/bcc/mail"), HttpMethod.POST, headers, () -> {
            reads.incrementAndGet();
            return Optional.empty();
        });
    }

    @Test
    void aWrongSecretOrADeclaredOversizeIsRefusedWithoutTouchingTheBody() {
        Map<String, String> wrongSecret = gatewayHeaders(ada);
        wrongSecret.put("X-Mailbridge-Gateway-Secret", "not-the-gateway");
        wrongSecret.put("Content-Length", "62914560");
        Map<String, String> oversize = gatewayHeaders(ada);
        oversize.put("Content-Length", Long.toString(MAX_MAIL_BYTES + 1));
        BccIngestFunction function = app.getInstance(BccIngestFunction.class);
        AtomicInteger bodiesRead = new AtomicInteger();
        FunctionHttpRequest<Optional<byte[]>> forged = unreadRequest(wrongSecret, bodiesRead);
        FunctionHttpRequest<Optional<byte[]>> tooLarge = unreadRequest(oversize, bodiesRead);

        FunctionHttpResponse refused = (FunctionHttpResponse) function.run(forged);
        FunctionHttpResponse declaredTooLarge = (FunctionHttpResponse) function.run(tooLarge);

        assertEquals(401, refused.getStatusCode());
        assertEquals(413, declaredTooLarge.getStatusCode());
        assertEquals("The mail has more than " + MAX_MAIL_BYTES + " bytes", declaredTooLarge.json().path("detail").asText());
        assertEquals(0, bodiesRead.get(), "neither body was read");
        assertNothingStoredOrSent();
    }

    @Test
    void aMalformedMailIs422NamingTheProblem() {
        FunctionHttpResponse garbage = bcc(raw("This is no mail at all", "", "Really not."), ada);
        FunctionHttpResponse badBase64 = bcc(raw("From: " + PROSPECT, "Content-Type: multipart/mixed; boundary=b", "", "--b",
                "Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "", "CONFIDENTIAL=x=", "--b--"), ada);

        assertEquals(422, garbage.getStatusCode());
        assertEquals("header field 1 of the mail is not a 'Name: value' field", garbage.json().path("detail").asText());
        assertEquals(422, badBase64.getStatusCode());
        assertEquals("part 1 (application/pdf) is not valid base64", badBase64.json().path("detail").asText());
        assertFalse(((String) badBase64.getBody()).contains("CONFIDENTIAL"));
        assertNothingStoredOrSent();
    }

    @Test
    void aFromThatIsNotAnAddressIs422NamingTheHeaderWithoutQuotingIt() {
        FunctionHttpResponse response = bcc(raw("From: Secret Sender Name", "To: ada@contoso.example",
                "Message-ID: <nameless-" + account + "@fabrikam.example>", "", "Body"), ada);

        assertEquals(422, response.getStatusCode());
        assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"));
        assertEquals("Malformed mail", response.json().path("title").asText());
        assertEquals("the From header of the mail is not an address (local-part@domain)", response.json().path("detail").asText());
        assertFalse(((String) response.getBody()).contains("Secret"));
        assertNothingStoredOrSent();
    }

    @Test
    void anOversizedMailIs413() {
        byte[] mail = new byte[(int) MAX_MAIL_BYTES + 1];
        byte[] start = raw("From: " + PROSPECT, "Subject: Too big", "", "");
        System.arraycopy(start, 0, mail, 0, start.length);
        java.util.Arrays.fill(mail, start.length, mail.length, (byte) 'x');

        FunctionHttpResponse response = bcc(mail, ada);

        assertEquals(413, response.getStatusCode());
        assertEquals("The mail has more than " + MAX_MAIL_BYTES + " bytes", response.json().path("detail").asText());
        assertNothingStoredOrSent();
    }

    @Test
    void aRequestThatIsNotAMailIsRefused() throws Exception {
        Map<String, String> json = gatewayHeaders(ada);
        json.put("Content-Type", "application/json");

        FunctionHttpResponse wrongType = post(json, "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals(415, wrongType.getStatusCode());
        assertNothingStoredOrSent();
    }

    @Test
    void anEmptyOrWhitespaceOnlyUploadIs422WhateverItsRecipient() {
        String unknown = "bcc-" + "0".repeat(43) + "@" + DOMAIN;
        Map<String, FunctionHttpResponse> answers = Map.of(
                "no body", post(gatewayHeaders(ada), new byte[0]),
                "no body, unknown recipient", post(gatewayHeaders(unknown), new byte[0]),
                "no body, no recipient", post(gatewayHeaders(null), new byte[0]),
                "whitespace", bcc(" \r\n\t\r\n".getBytes(StandardCharsets.US_ASCII), ada),
                "whitespace, unknown recipient", bcc("\n\n".getBytes(StandardCharsets.US_ASCII), unknown));

        answers.forEach((upload, response) -> {
            assertEquals(422, response.getStatusCode(), upload);
            assertEquals("application/problem+json; charset=utf-8", response.getHeader("Content-Type"), upload);
            assertEquals("Malformed mail", response.json().path("title").asText(), upload);
            assertEquals(upload.startsWith("no body") ? "the mail is empty: the request body has no bytes"
                    : "the mail is empty: the request body is only whitespace", response.json().path("detail").asText(), upload);
        });
        assertNothingStoredOrSent();
    }
}
