package io.mailbridge.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.messages.item.move.MovePostRequestBody;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import io.mailbridge.sandbox.exchange.NewMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Graph v1.0 through the real Graph SDK (every answer parsed by its models), and raw HTTP where the SDK cannot say it. */
@ExtendWith(SandboxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Sandbox sandbox;
    private SandboxClients clients;
    private SandboxUser adele;
    private String token;
    private GraphServiceClient graph;

    @BeforeAll
    void useSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
        clients = new SandboxClients(sandbox);
        adele = sandbox.user("adele.vance@contoso.example");
    }

    /** A fresh sign-in per test: some tests move the sandbox's clock past a token's lifetime. */
    @BeforeEach
    void signIn() {
        token = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, adele, SandboxClients.FULL_SCOPES);
        graph = clients.graph(token);
    }

    @Test
    void meWithSelectCarriesTheAliases() {
        User me = graph.me().get(request -> request.queryParameters.select = new String[] {"mail", "userPrincipalName", "proxyAddresses"});

        assertEquals("adele.vance@contoso.example", me.getMail());
        assertEquals(List.of("SMTP:adele.vance@contoso.example", "smtp:adele@contoso.example", "smtp:sales@contoso.example"), me.getProxyAddresses());
    }

    @Test
    void aMessageCreatedWithPrMessageFlagsInSentItemsIsNotADraftAndIsFoundByItsStamp() {
        Message message = outgoing("Written back", "crm-id-1");
        SingleValueLegacyExtendedProperty flags = new SingleValueLegacyExtendedProperty();
        flags.setId("Integer 0x0E07");
        flags.setValue("1");
        message.getSingleValueExtendedProperties().add(flags);

        Message created = graph.me().mailFolders().byMailFolderId("sentitems").messages().post(message);
        MessageCollectionResponse found = graph.me().mailFolders().byMailFolderId("sentitems").messages().get(request -> {
            request.queryParameters.filter = "singleValueExtendedProperties/any(ep: ep/id eq '" + stampId() + "' and ep/value eq 'crm-id-1')";
            request.queryParameters.select = new String[] {"subject", "isDraft", "internetMessageId", "internetMessageHeaders"};
        });

        assertFalse(created.getIsDraft());
        assertEquals(1, found.getValue().size());
        assertEquals("Written back", found.getValue().get(0).getSubject());
        assertEquals("crm-id-1", found.getValue().get(0).getInternetMessageHeaders().get(0).getValue());
    }

    @Test
    void aMessageCreatedWithoutFlagsIsADraft() {
        Message created = graph.me().messages().post(outgoing("Draft", "crm-id-2"));

        assertTrue(created.getIsDraft());
        assertEquals(created.getId(), graph.me().mailFolders().byMailFolderId("drafts").messages().byMessageId(created.getId()).get().getId());
    }

    @Test
    void immutableIdsSurviveAMoveWhileDefaultIdsChange() {
        sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(adele.mail()), "Move me", "hello"));
        GraphServiceClient immutable = clients.graph(token);
        Message inInbox = immutable.me().mailFolders().byMailFolderId("inbox").messages().get(request -> {
            request.headers.add("Prefer", "IdType=\"ImmutableId\"");
            request.queryParameters.filter = "subject eq 'Move me'";
        }).getValue().get(0);
        String defaultId = graph.me().mailFolders().byMailFolderId("inbox").messages().get(request -> request.queryParameters.filter = "subject eq 'Move me'")
                .getValue().get(0).getId();

        MovePostRequestBody move = new MovePostRequestBody();
        move.setDestinationId("archive");
        Message moved = graph.users().byUserId(adele.id()).messages().byMessageId(defaultId).move().post(move);
        Message again = immutable.me().messages().byMessageId(inInbox.getId()).get(request -> request.headers.add("Prefer", "IdType=\"ImmutableId\""));

        assertNotEquals(defaultId, moved.getId());
        assertEquals(inInbox.getId(), again.getId());
        ODataError gone = assertThrows(ODataError.class, () -> graph.me().messages().byMessageId(defaultId).get());
        assertEquals(404, gone.getResponseStatusCode());
    }

    @Test
    void sendMailIsAcceptedIntoOutboxThenKeepsTheSentCopyAndDeliversToOtherSandboxMailboxesAfterTheSendDelay() {
        SandboxUser alex = sandbox.user("alex.wilber@contoso.example");
        SendMailPostRequestBody send = new SendMailPostRequestBody();
        send.setMessage(outgoing("To Alex", "crm-id-3"));
        send.getMessage().setToRecipients(List.of(recipient(alex.mail()), recipient("prospect@example.org")));
        send.setSaveToSentItems(true);
        graph.me().sendMail().post(send);

        assertTrue(sandbox.exchange().mailbox(adele.id()).list(io.mailbridge.sandbox.exchange.WellKnownFolder.OUTBOX).stream()
                .anyMatch(message -> "To Alex".equals(message.subject()) && !message.isDraft()), "202 is acceptance: the mail waits in Outbox");
        assertTrue(sandbox.exchange().mailbox(adele.id()).list(io.mailbridge.sandbox.exchange.WellKnownFolder.SENT_ITEMS).stream()
                .noneMatch(message -> "To Alex".equals(message.subject())));
        sandbox.clock().advance(io.mailbridge.sandbox.exchange.ExchangeSettings.defaults().sendDelay());
        sandbox.exchange().releaseDueSends();

        assertTrue(sandbox.exchange().mailbox(adele.id()).list(io.mailbridge.sandbox.exchange.WellKnownFolder.SENT_ITEMS).stream()
                .anyMatch(message -> "To Alex".equals(message.subject()) && !message.isDraft()),
                () -> sandbox.exchange().mailbox(adele.id()).all().stream().map(m -> m.folder() + ":" + m.subject()).toList().toString());
        assertTrue(sandbox.exchange().mailbox(alex.id()).list(io.mailbridge.sandbox.exchange.WellKnownFolder.INBOX).stream()
                .anyMatch(message -> "To Alex".equals(message.subject())));
        assertTrue(sandbox.exchange().transportLog().stream().anyMatch(mail -> mail.recipients().contains("prospect@example.org")));
    }

    @Test
    void sendMailWithoutSavingLeavesSentItemsAlone() {
        SendMailPostRequestBody send = new SendMailPostRequestBody();
        send.setMessage(outgoing("Not saved", "crm-id-4"));
        send.setSaveToSentItems(false);
        graph.me().sendMail().post(send);
        sandbox.clock().advance(io.mailbridge.sandbox.exchange.ExchangeSettings.defaults().sendDelay());
        sandbox.exchange().releaseDueSends();

        assertTrue(sandbox.exchange().mailbox(adele.id()).all().stream().noneMatch(message -> "Not saved".equals(message.subject())));
    }

    @Test
    void aLargeMailGoesAsADraftWithAnUploadSessionThenSend() throws Exception {
        Message draft = graph.me().messages().post(outgoing("Large", "crm-id-5"));
        byte[] file = new byte[5 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(file);
        com.microsoft.graph.users.item.messages.item.attachments.createuploadsession.CreateUploadSessionPostRequestBody body =
                new com.microsoft.graph.users.item.messages.item.attachments.createuploadsession.CreateUploadSessionPostRequestBody();
        com.microsoft.graph.models.AttachmentItem item = new com.microsoft.graph.models.AttachmentItem();
        item.setAttachmentType(com.microsoft.graph.models.AttachmentType.File);
        item.setName("big.bin");
        item.setSize((long) file.length);
        body.setAttachmentItem(item);
        com.microsoft.graph.models.UploadSession session = graph.me().messages().byMessageId(draft.getId()).attachments().createUploadSession().post(body);
        com.microsoft.graph.core.tasks.LargeFileUploadTask<com.microsoft.graph.models.AttachmentItem> upload = new com.microsoft.graph.core.tasks.LargeFileUploadTask<>(
                graph.getRequestAdapter(), session, new java.io.ByteArrayInputStream(file), file.length, 3 * 320 * 1024,
                com.microsoft.graph.models.AttachmentItem::createFromDiscriminatorValue);
        assertTrue(upload.upload().isUploadSuccessful());

        graph.me().messages().byMessageId(draft.getId()).send().post();
        sandbox.clock().advance(io.mailbridge.sandbox.exchange.ExchangeSettings.defaults().sendDelay());
        sandbox.exchange().releaseDueSends();

        io.mailbridge.sandbox.exchange.MailMessage sent = sandbox.exchange().mailbox(adele.id()).list(io.mailbridge.sandbox.exchange.WellKnownFolder.SENT_ITEMS)
                .stream().filter(message -> "Large".equals(message.subject())).findFirst().orElseThrow();
        assertEquals(file.length, sent.attachments().get(0).size());
    }

    @Test
    void sendMailOverFourMegabytesIsRefused() {
        Message message = outgoing("Too big", "crm-id-6");
        message.getBody().setContent("x".repeat(4 * 1024 * 1024 + 1));
        SendMailPostRequestBody send = new SendMailPostRequestBody();
        send.setMessage(message);

        ODataError error = assertThrows(ODataError.class, () -> graph.me().sendMail().post(send));

        assertEquals(413, error.getResponseStatusCode());
    }

    @Test
    void aSpentRecipientQuotaAnswersErrorQuotaExceededWith429() throws Exception {
        SandboxUser alex = sandbox.user("alex.wilber@contoso.example");
        sandbox.exchange().quota().exhaust(alex.id());
        String alexToken = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, alex, SandboxClients.FULL_SCOPES);

        HttpResponse<String> answer = raw("POST", "/me/sendMail", alexToken,
                "{\"message\":{\"subject\":\"s\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"p@example.org\"}}]}}");

        assertEquals(429, answer.statusCode());
        assertEquals("ErrorQuotaExceeded", JSON.readTree(answer.body()).path("error").path("code").asText());
        assertTrue(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()) > 80_000);
        sandbox.clock().advance(java.time.Duration.ofHours(25));
        alexToken = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, alex, SandboxClients.FULL_SCOPES);
        assertEquals(202, raw("POST", "/me/sendMail", alexToken,
                "{\"message\":{\"subject\":\"s\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"p@example.org\"}}]}}").statusCode());
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedAndABadTokenIsUnauthorised() throws Exception {
        String readOnly = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, adele, Set.of("User.Read"));

        HttpResponse<String> noScope = raw("GET", "/me/messages", readOnly, null);
        HttpResponse<String> badToken = raw("GET", "/me/messages", token.substring(0, token.length() - 4) + "AAAA", null);

        assertEquals(403, noScope.statusCode());
        assertEquals("ErrorAccessDenied", JSON.readTree(noScope.body()).path("error").path("code").asText());
        assertEquals(401, badToken.statusCode());
        assertEquals("InvalidAuthenticationToken", JSON.readTree(badToken.body()).path("error").path("code").asText());
    }

    @Test
    void aUserNeverSeesAnotherMailboxAndAnOnPremisesMailboxIsNotEnabledForRest() throws Exception {
        SandboxUser isaiah = sandbox.user("isaiah.langer@contoso.example");
        String isaiahToken = clients.token(SandboxDirectory.CONTOSO_TENANT_ID, isaiah, SandboxClients.FULL_SCOPES);

        assertEquals(403, raw("GET", "/users/" + sandbox.user("alex.wilber@contoso.example").id() + "/messages", token, null).statusCode());
        HttpResponse<String> onPremises = raw("GET", "/me/mailFolders/inbox/messages", isaiahToken, null);
        assertEquals(404, onPremises.statusCode());
        assertEquals("MailboxNotEnabledForRESTAPI", JSON.readTree(onPremises.body()).path("error").path("code").asText());
    }

    @Test
    void theFifthConcurrentRequestIsThrottledWithRetryAfter() throws Exception {
        sandbox.throttling().latency(adele.id(), java.time.Duration.ofMillis(1500));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(pool.submit(() -> raw("GET", "/me/mailFolders/inbox/messages?$top=1", token, null)));
            }
            List<Integer> statuses = new ArrayList<>();
            String retryAfter = null;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 429) {
                    retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                    assertTrue(response.body().contains("MailboxConcurrency"));
                }
            }
            assertEquals(1, statuses.stream().filter(status -> status == 429).count(), statuses.toString());
            assertEquals("1", retryAfter);
        } finally {
            sandbox.throttling().latency(adele.id(), java.time.Duration.ZERO);
            pool.shutdownNow();
        }
    }

    @Test
    void anInjectedStormAnswers429ThenRecovers() throws Exception {
        sandbox.throttling().inject(adele.id(), new io.mailbridge.sandbox.graph.GraphFault.Throttled(java.time.Duration.ofSeconds(7)), 2);

        assertEquals("7", raw("GET", "/me/messages", token, null).headers().firstValue("Retry-After").orElseThrow());
        assertEquals(429, raw("GET", "/me/messages", token, null).statusCode());
        assertEquals(200, raw("GET", "/me/messages", token, null).statusCode());
    }

    @Test
    void batchesRunThroughTheSdkAndMoreThanTwentyIsRefused() throws Exception {
        BatchRequestContent batch = new BatchRequestContent(graph);
        String first = batch.addBatchRequestStep(graph.users().byUserId(adele.id()).toGetRequestInformation());
        String second = batch.addBatchRequestStep(graph.users().byUserId(adele.id()).mailFolders().byMailFolderId("inbox").messages().toGetRequestInformation());
        BatchResponseContent responses = graph.getBatchRequestBuilder().post(batch, null);

        assertEquals("adele.vance@contoso.example", responses.getResponseById(first, User::createFromDiscriminatorValue).getMail());
        assertTrue(responses.getResponseById(second, MessageCollectionResponse::createFromDiscriminatorValue).getValue() != null);

        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            many.append(i > 1 ? "," : "").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/me\"}");
        }
        assertEquals(400, raw("POST", "/$batch", token, many.append("]}").toString()).statusCode());
    }

    @Test
    void deltaPagesToADeltaLinkReportsRemovalsAndExpiresWith410() throws Exception {
        SandboxUser lynne = sandbox.user("lynne.robbins@fabrikam.example");
        String lynneToken = clients.token(SandboxDirectory.FABRIKAM_TENANT_ID, lynne, SandboxClients.FULL_SCOPES);
        for (int i = 0; i < 5; i++) {
            sandbox.exchange().deliver(NewMessage.simple("prospect@example.org", List.of(lynne.mail()), "Delta " + i, "body"));
        }
        List<JsonNode> seen = new ArrayList<>();
        String next = sandbox.graphBaseUrl() + "/me/mailFolders/inbox/messages/delta?$select=subject,from";
        String deltaLink = null;
        int pages = 0;
        while (next != null) {
            JsonNode page = JSON.readTree(rawUrl(next, lynneToken, "odata.maxpagesize=2").body());
            page.path("value").forEach(seen::add);
            pages++;
            next = page.path("@odata.nextLink").asText(null);
            deltaLink = page.path("@odata.deltaLink").asText(null);
        }
        assertEquals(3, pages);
        assertEquals(5, seen.size());
        assertFalse(seen.get(0).has("body"), "$select is honoured across pages");

        sandbox.exchange().mailbox(lynne.id()).purge(seen.get(0).path("id").asText());
        JsonNode changes = JSON.readTree(rawUrl(deltaLink, lynneToken, null).body());
        assertEquals("deleted", changes.path("value").get(0).path("@removed").path("reason").asText());
        JsonNode replay = JSON.readTree(rawUrl(deltaLink, lynneToken, null).body());
        assertEquals("deleted", replay.path("value").get(0).path("@removed").path("reason").asText(), "a delta link can be replayed");

        sandbox.exchange().mailbox(lynne.id()).expireDeltaTokens();
        HttpResponse<String> expired = rawUrl(deltaLink, lynneToken, null);
        assertEquals(410, expired.statusCode());
        assertEquals("syncStateNotFound", JSON.readTree(expired.body()).path("error").path("code").asText());
    }

    @Test
    void requestsAreCountedPerMailboxAndKindWithABatchAsOne() {
        SandboxUser lynne = sandbox.user("lynne.robbins@fabrikam.example");
        String lynneToken = clients.token(SandboxDirectory.FABRIKAM_TENANT_ID, lynne, SandboxClients.FULL_SCOPES);
        long total = sandbox.graphRequests(lynne.id());
        Map<String, Long> before = sandbox.graphRequestsByKind(lynne.id());

        assertEquals(200, rawUrl(sandbox.graphBaseUrl() + "/me/mailFolders/inbox/messages/delta?$select=subject", lynneToken, null).statusCode());
        assertEquals(200, raw("GET", "/users/" + lynne.id() + "/messages", lynneToken, null).statusCode());
        assertEquals(200, raw("POST", "/$batch", lynneToken, "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/me\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/me/messages\"}]}").statusCode());

        Map<String, Long> after = sandbox.graphRequestsByKind(lynne.id());
        ToLongFunction<String> made = kind -> after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
        assertEquals(1, made.applyAsLong("GET me/mailFolders/inbox/messages/delta"));
        assertEquals(1, made.applyAsLong("GET me/messages"), "the user's own id reads as me");
        assertEquals(1, made.applyAsLong("POST $batch"));
        assertEquals(0, made.applyAsLong("GET me"), "a batch's steps are not counted again");
        assertEquals(total + 3, sandbox.graphRequests(lynne.id()));
    }

    @Test
    void theSdkParsesADeltaPage() {
        var page = graph.me().mailFolders().byMailFolderId("inbox").messages().delta().get(request -> request.queryParameters.select = new String[] {"subject"});

        assertTrue(page.getOdataDeltaLink() != null || page.getOdataNextLink() != null);
    }

    private HttpResponse<String> raw(String method, String path, String bearer, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.graphBaseUrl() + path)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return clients.send(request.build());
    }

    private HttpResponse<String> rawUrl(String url, String bearer, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return clients.send(request.GET().build());
    }

    private static String stampId() {
        return "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name MailbridgeOutboxId";
    }

    private Message outgoing(String subject, String stamp) {
        Message message = new Message();
        message.setSubject(subject);
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Text);
        body.setContent("Hello from the CRM");
        message.setBody(body);
        message.setToRecipients(List.of(recipient("prospect@example.org")));
        com.microsoft.graph.models.InternetMessageHeader header = new com.microsoft.graph.models.InternetMessageHeader();
        header.setName("x-mailbridge-id");
        header.setValue(stamp);
        message.setInternetMessageHeaders(List.of(header));
        SingleValueLegacyExtendedProperty property = new SingleValueLegacyExtendedProperty();
        property.setId(stampId());
        property.setValue(stamp);
        message.setSingleValueExtendedProperties(new ArrayList<>(List.of(property)));
        return message;
    }

    private static Recipient recipient(String address) {
        Recipient recipient = new Recipient();
        EmailAddress email = new EmailAddress();
        email.setAddress(address);
        recipient.setEmailAddress(email);
        return recipient;
    }
}
