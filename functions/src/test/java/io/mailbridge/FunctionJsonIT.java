package io.mailbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.config.Settings;
import io.mailbridge.support.TestSettings;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the function.json files that azure-functions-maven-plugin generated in the package phase:
 * they, not the annotations, are what Azure runs. Every function must be listed here.
 */
class FunctionJsonIT {
    private static final Path STAGING = ProjectRoot.resolve("functions/target/azure-functions/mailbridge");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Function name -> its trigger binding as "type key=value ...", keys sorted. */
    private static final Map<String, String> EXPECTED_TRIGGERS = Map.ofEntries(
            Map.entry("health", "httpTrigger authLevel=ANONYMOUS methods=[GET] route=health"),
            Map.entry("connectPage", "httpTrigger authLevel=ANONYMOUS methods=[GET] route=connect"),
            Map.entry("connectStart", "httpTrigger authLevel=ANONYMOUS methods=[GET,POST] route=connect/start"),
            Map.entry("connectCallback", "httpTrigger authLevel=ANONYMOUS methods=[GET,POST] route=connect/callback"),
            Map.entry("connectAdminConsent", "httpTrigger authLevel=ANONYMOUS methods=[GET] route=connect/adminconsent"),
            Map.entry("graphWebhook", "httpTrigger authLevel=ANONYMOUS methods=[POST] route=graph/notifications"),
            Map.entry("graphLifecycle", "httpTrigger authLevel=ANONYMOUS methods=[POST] route=graph/lifecycle"),
            Map.entry("bccIngest", "httpTrigger authLevel=ANONYMOUS dataType=binary methods=[POST] route=bcc/mail"),
            Map.entry("mailboxStatus", "httpTrigger authLevel=FUNCTION methods=[GET] route=accounts/{accountId}/mailboxes/{userId}"),
            Map.entry("mailboxMode", "httpTrigger authLevel=FUNCTION methods=[PATCH] route=accounts/{accountId}/mailboxes/{userId}"),
            Map.entry("mailboxDisconnect", "httpTrigger authLevel=FUNCTION methods=[DELETE] route=accounts/{accountId}/mailboxes/{userId}"),
            Map.entry("prospects", "httpTrigger authLevel=FUNCTION methods=[POST] route=accounts/{accountId}/prospects"),
            Map.entry("accountProfile", "httpTrigger authLevel=ADMIN methods=[PUT] route=ops/accounts/{accountId}/profile"),
            Map.entry("accountOtherMailboxes", "httpTrigger authLevel=ADMIN methods=[PUT] route=ops/accounts/{accountId}/other-mailboxes"),
            Map.entry("sendRequest", "httpTrigger authLevel=FUNCTION methods=[POST] route=accounts/{accountId}/mailboxes/{userId}/sends"),
            Map.entry("sendStatus", "httpTrigger authLevel=FUNCTION methods=[GET] route=accounts/{accountId}/mailboxes/{userId}/sends/{sendId}"),
            Map.entry("sendingStatus", "httpTrigger authLevel=FUNCTION methods=[GET] route=accounts/{accountId}/mailboxes/{userId}/sending"),
            Map.entry("outboundMail", "queueTrigger connection=AzureWebJobsStorage queueName=outbound-mail"),
            Map.entry("deadLetters", "httpTrigger authLevel=ADMIN methods=[GET] route=ops/dead-letters"),
            Map.entry("deadLetterReplay", "httpTrigger authLevel=ADMIN methods=[POST] route=ops/dead-letters/{eventId}/replay"),
            Map.entry("crmEventDelivery", "queueTrigger connection=AzureWebJobsStorage queueName=crm-events"),
            Map.entry("mailChanges", "queueTrigger connection=AzureWebJobsStorage queueName=mail-changes"),
            Map.entry("subscriptionEvents", "queueTrigger connection=AzureWebJobsStorage queueName=subscription-events"),
            Map.entry("inboundSweep", "timerTrigger schedule=%MAILBRIDGE_SYNC_SWEEP_SCHEDULE%"),
            Map.entry("subscriptionRenewal", "timerTrigger schedule=%MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE%"),
            Map.entry("subscriptionRenewalJob", "queueTrigger connection=AzureWebJobsStorage queueName=subscription-renewal"),
            Map.entry("sentReconciliationTimer", "timerTrigger schedule=%MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE%"),
            Map.entry("sentReconciliation", "queueTrigger connection=AzureWebJobsStorage queueName=sent-reconciliation"),
            Map.entry("housekeeping", "timerTrigger schedule=%MAILBRIDGE_HOUSEKEEPING_SCHEDULE%"),
            Map.entry("tableExport", "timerTrigger schedule=0 0 2 * * *"),
            Map.entry("contractsOpenApi", "httpTrigger authLevel=ANONYMOUS methods=[GET] route=contracts/openapi.json"),
            Map.entry("contractsSchema", "httpTrigger authLevel=ANONYMOUS methods=[GET] route=contracts/{folder}/{file}"),
            Map.entry("opsStatus", "httpTrigger authLevel=ADMIN methods=[GET] route=ops/status"),
            Map.entry("opsStatusPage", "httpTrigger authLevel=ADMIN methods=[GET] route=ops/status/page"),
            Map.entry("opsGauges", "timerTrigger schedule=0 */5 * * * *"));

    private record FunctionJson(String name, Path folder, JsonNode json) {
        JsonNode trigger() {
            List<JsonNode> triggers = new ArrayList<>();
            json.get("bindings").forEach(b -> {
                if (b.get("type").asText().endsWith("Trigger")) {
                    triggers.add(b);
                }
            });
            assertEquals(1, triggers.size(), name + " has exactly one trigger");
            return triggers.get(0);
        }
    }

    @Test
    void everyFunctionHasExactlyTheTriggerWeExpect() throws IOException {
        Map<String, String> actual = new TreeMap<>();
        for (FunctionJson function : functionJsons()) {
            actual.put(function.name(), describe(function.trigger()));
        }
        assertEquals(new TreeMap<>(EXPECTED_TRIGGERS), actual);
    }

    @Test
    void httpFunctionsReturnTheirResponseAndNothingElseIsBound() throws IOException {
        for (FunctionJson function : functionJsons()) {
            List<String> others = new ArrayList<>();
            for (JsonNode binding : function.json().get("bindings")) {
                if (!binding.get("type").asText().endsWith("Trigger")) {
                    others.add(binding.get("type").asText() + ":" + binding.get("direction").asText() + ":" + binding.get("name").asText());
                }
            }
            List<String> expected = function.trigger().get("type").asText().equals("httpTrigger")
                    ? List.of("http:out:$return") : List.of();
            assertEquals(expected, others, function.name());
        }
    }

    @Test
    void everyEntryPointIsInThePackagedJarAndWiredInTheCompositionRoot() throws IOException {
        Set<String> wired = new App(Settings.from(TestSettings.values()))
                .functionClasses().stream().map(Class::getName).collect(Collectors.toSet());
        for (FunctionJson function : functionJsons()) {
            String entryPoint = function.json().get("entryPoint").asText();
            assertTrue(wired.contains(entryPoint.substring(0, entryPoint.lastIndexOf('.'))), entryPoint + " is not wired in App");
            Path jar = function.folder().resolve(function.json().get("scriptFile").asText()).normalize();
            assertTrue(Files.isRegularFile(jar), function.name() + "'s scriptFile " + jar + " exists");
        }
    }

    @Test
    void theStagingFolderCarriesTheProjectsHostJson() throws IOException {
        assertEquals(JSON.readTree(ProjectRoot.resolve("host.json").toFile()), JSON.readTree(STAGING.resolve("host.json").toFile()));
    }

    private static List<FunctionJson> functionJsons() throws IOException {
        List<FunctionJson> functions = new ArrayList<>();
        try (Stream<Path> folders = Files.list(STAGING)) {
            for (Path folder : folders.filter(d -> Files.exists(d.resolve("function.json"))).sorted().toList()) {
                functions.add(new FunctionJson(folder.getFileName().toString(), folder,
                        JSON.readTree(folder.resolve("function.json").toFile())));
            }
        }
        assertFalse(functions.isEmpty(), "no function.json under " + STAGING + ": did the package phase run?");
        return functions;
    }

    /** The trigger's settings that decide when it runs, as one comparable line. */
    private static String describe(JsonNode trigger) {
        Map<String, String> settings = new TreeMap<>();
        trigger.fields().forEachRemaining(field -> {
            if (!Set.of("type", "direction", "name").contains(field.getKey())) {
                settings.put(field.getKey(), field.getValue().isArray()
                        ? field.getValue().toString().replace("\"", "") : field.getValue().asText());
            }
        });
        return trigger.get("type").asText() + settings.entrySet().stream()
                .map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
    }
}
