package io.mailbridge.testkit;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Checks JSON against the app's published contracts (the OpenAPI document and JSON Schemas under
 * {@code contracts/} on the classpath), as a CRM developer's tools would: JSON Schema 2020-12, the
 * documents' relative references followed, and formats (date-time, email, uri) asserted, not just noted.
 */
public final class ContractValidator {
    private static final String BASE = "classpath:contracts/";
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /**
     * What is wrong with {@code json} against the schema at {@code location}: a contract document, e.g.
     * {@code events/send.status.schema.json}, with an optional JSON Pointer fragment into it; empty when it is valid.
     */
    public List<String> errors(String location, String json) {
        return registry.getSchema(SchemaLocation.of(BASE + location))
                .validate(json, InputFormat.JSON, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }

    /** A JSON Pointer fragment ({@code #/a/b}) to the node the tokens name, each escaped as RFC 6901 asks. */
    public static String pointer(List<String> tokens) {
        StringBuilder pointer = new StringBuilder("#");
        tokens.forEach(token -> pointer.append('/').append(token.replace("~", "~0").replace("/", "~1")));
        return pointer.toString();
    }
}
