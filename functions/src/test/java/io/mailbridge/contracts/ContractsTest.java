package io.mailbridge.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mailbridge.App;
import io.mailbridge.config.Settings;
import io.mailbridge.http.Json;
import io.mailbridge.support.TestSettings;
import io.mailbridge.testkit.ContractValidator;
import io.mailbridge.testkit.ProjectRoot;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published contract against the code: every HTTP route the app serves is in the OpenAPI document
 * with its methods and key, nothing more; every example in the document and the schemas is valid.
 * The events the code builds are checked against their schemas in CrmEventContractsIT.
 */
class ContractsTest {
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private final Contracts contracts = Contracts.load();
    private final JsonNode openApi = read(Contracts.OPENAPI);
    private final ContractValidator validator = new ContractValidator();

    @Test
    void theDocumentDescribesExactlyTheRoutesMethodsAndKeysTheFunctionsServe() {
        Set<String> served = served();
        Set<String> documented = documented();
        Map<String, Set<String>> drift = new TreeMap<>();
        drift.put("served but not in openapi.json", difference(served, documented));
        drift.put("in openapi.json but not served", difference(documented, served));
        drift.values().removeIf(Set::isEmpty);
        assertEquals(Map.of(), drift, "routes as \"METHOD /path authLevel\"");
    }

    @Test
    void everyPathParameterOfAPathIsDeclaredAndRequired() {
        openApi.get("paths").fields().forEachRemaining(path -> {
            Matcher names = TEMPLATE_PARAMETER.matcher(path.getKey());
            while (names.find()) {
                String name = names.group(1);
                path.getValue().fields().forEachRemaining(operation -> {
                    if (OPERATIONS.contains(operation.getKey())) {
                        List<JsonNode> declared = new ArrayList<>();
                        path.getValue().path("parameters").forEach(declared::add);
                        operation.getValue().path("parameters").forEach(declared::add);
                        assertTrue(declared.stream().anyMatch(p -> p.path("in").asText().equals("path") && p.path("name").asText().equals(name)
                                && p.path("required").asBoolean()), operation.getKey() + " " + path.getKey() + " declares its path parameter " + name);
                    }
                });
            }
        });
    }

    @Test
    void everyExampleInTheDocumentAndTheSchemasIsValid() {
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        int checked = 0;
        for (String name : contracts.names()) {
            List<Example> examples = new ArrayList<>();
            collectExamples(read(name), new ArrayList<>(), examples);
            if (name.startsWith(Contracts.EVENTS) || name.startsWith("schemas/")) {
                assertTrue(examples.stream().anyMatch(e -> e.schemaPath().isEmpty()), name + " has an example of itself");
            }
            for (Example example : examples) {
                List<String> errors = validator.errors(name + ContractValidator.pointer(example.schemaPath()), example.value().toString());
                if (!errors.isEmpty()) {
                    invalid.put(name + ContractValidator.pointer(example.schemaPath()) + " " + example.value(), errors);
                }
                checked++;
            }
        }
        assertEquals(Map.of(), invalid);
        assertTrue(checked >= 20, "only " + checked + " examples were found");
    }

    @Test
    void anExampleThatBreaksItsSchemaIsCaught() {
        // The check above passes only if the validator can fail: a send.status without its state must not validate.
        String event = "{\"id\":\"e\",\"type\":\"send.status\",\"accountId\":\"a\",\"userId\":\"u\",\"occurredAt\":\"2026-12-01T09:00:00Z\","
                + "\"data\":{\"sendId\":\"s\",\"idempotencyKey\":\"k\",\"attempts\":1,\"internetMessageId\":\"<m@x>\"}}";
        assertTrue(validator.errors("events/send.status.schema.json", event).stream().anyMatch(e -> e.contains("state")));
        String extraField = event.replace("\"attempts\":1", "\"state\":\"SENT\",\"attempts\":1,\"colour\":\"red\"");
        assertTrue(validator.errors("events/send.status.schema.json", extraField).stream().anyMatch(e -> e.contains("colour")),
                "a field the contract does not name is drift too");
        assertEquals(List.of(), validator.errors("events/send.status.schema.json", extraField.replace(",\"colour\":\"red\"", "")));
        String timestamp = Contracts.OPENAPI + ContractValidator.pointer(List.of("paths", "/accounts/{accountId}/prospects", "post", "parameters", "0", "schema"));
        assertTrue(validator.errors(timestamp, "\"soon\"").stream().anyMatch(e -> e.contains("pattern")), "a schema inside the document is reached");
        assertEquals(List.of(), validator.errors(timestamp, "\"1764580447\""));
    }

    @Test
    void eachEventTypeTheCrmIsSentHasItsSchemaInTheWebhook() {
        Set<String> inWebhook = new TreeSet<>();
        openApi.at("/webhooks/crmEvent/post/requestBody/content/application~1json/schema/oneOf")
                .forEach(ref -> inWebhook.add(ref.get("$ref").asText()));
        Set<String> eventSchemas = new TreeSet<>();
        contracts.names().forEach(name -> {
            if (name.startsWith(Contracts.EVENTS)) {
                eventSchemas.add(name);
                String type = name.substring(Contracts.EVENTS.length(), name.length() - Contracts.SCHEMA_SUFFIX.length());
                assertEquals(type, read(name).at("/properties/type/const").asText(), name + " fixes its type");
            }
        });
        assertEquals(eventSchemas, inWebhook);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> only = new TreeSet<>(a);
        only.removeAll(b);
        return only;
    }

    @Test
    void everyContractFileInTheRepoIsPublishedAndNothingElseIs() throws IOException {
        Path root = ProjectRoot.resolve("functions/src/main/resources/" + Contracts.ROOT);
        Set<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> published = new TreeSet<>();
        contracts.names().forEach(published::add);
        assertEquals(files, published, "a schema no reference reaches would be neither served nor checked");
        assertTrue(contracts.document("schemas/../" + Contracts.OPENAPI).isEmpty(), "names are looked up as given, never resolved");
    }

    /** Every HTTP function of the composition root, as "METHOD /route authLevel". */
    private static Set<String> served() {
        Set<String> routes = new TreeSet<>();
        for (Class<?> function : new App(Settings.from(TestSettings.values())).functionClasses()) {
            for (Method method : function.getMethods()) {
                for (Parameter parameter : method.getParameters()) {
                    HttpTrigger trigger = parameter.getAnnotation(HttpTrigger.class);
                    if (trigger != null) {
                        for (HttpMethod httpMethod : trigger.methods()) {
                            routes.add(httpMethod + " /" + trigger.route() + " " + trigger.authLevel());
                        }
                    }
                }
            }
        }
        return routes;
    }

    /** The document's operations, each with the host's key its security asks for. */
    private Set<String> documented() {
        Set<String> routes = new TreeSet<>();
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (OPERATIONS.contains(operation.getKey())) {
                routes.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + authLevel(operation.getValue()));
            }
        }));
        return routes;
    }

    /** ADMIN with the master key, FUNCTION with a function key, ANONYMOUS where the host asks for none (the app may check its own secret). */
    private String authLevel(JsonNode operation) {
        JsonNode security = operation.has("security") ? operation.get("security") : openApi.path("security");
        Set<String> levels = new HashSet<>();
        security.forEach(requirement -> {
            Set<String> schemes = new HashSet<>();
            requirement.fieldNames().forEachRemaining(schemes::add);
            schemes.forEach(scheme -> assertTrue(openApi.at("/components/securitySchemes").has(scheme), "scheme " + scheme + " is declared"));
            levels.add(schemes.stream().anyMatch(s -> s.startsWith("masterKey")) ? "ADMIN"
                    : schemes.stream().anyMatch(s -> s.startsWith("functionKey")) ? "FUNCTION" : "ANONYMOUS");
        });
        assertTrue(levels.size() <= 1, "every alternative of " + security + " asks for the same key");
        return levels.isEmpty() ? "ANONYMOUS" : levels.iterator().next();
    }

    private record Example(List<String> schemaPath, JsonNode value) {}

    /**
     * Examples and the schema each must satisfy: a schema's {@code examples} array; a media type's or parameter's
     * {@code example} and {@code examples} map against the {@code schema} beside them.
     */
    private static void collectExamples(JsonNode node, List<String> path, List<Example> examples) {
        if (node.isObject()) {
            JsonNode examplesNode = node.get("examples");
            if (examplesNode != null && examplesNode.isArray()) {
                examplesNode.forEach(value -> examples.add(new Example(List.copyOf(path), value)));
            }
            if (node.has("schema")) {
                List<String> schema = new ArrayList<>(path);
                schema.add("schema");
                if (node.has("example")) {
                    examples.add(new Example(schema, node.get("example")));
                }
                if (examplesNode != null && examplesNode.isObject()) {
                    examplesNode.forEach(example -> examples.add(new Example(schema, example.get("value"))));
                }
            }
            node.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("examples") && !field.getKey().equals("example")) {
                    List<String> child = new ArrayList<>(path);
                    child.add(field.getKey());
                    collectExamples(field.getValue(), child, examples);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<String> child = new ArrayList<>(path);
                child.add(Integer.toString(i));
                collectExamples(node.get(i), child, examples);
            }
        }
    }

    private JsonNode read(String name) {
        try {
            return Json.MAPPER.readTree(contracts.document(name).orElseThrow(() -> new AssertionError(name + " is not published")));
        } catch (IOException e) {
            throw new AssertionError(name + " is not JSON", e);
        }
    }
}
