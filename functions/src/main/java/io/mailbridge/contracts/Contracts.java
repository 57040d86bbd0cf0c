package io.mailbridge.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The API's published contract: the OpenAPI document and every JSON Schema it refers to, directly or
 * through other schemas, read once from {@value #ROOT} on the classpath. Only documents reached that way
 * are served, so a name from a request can never reach any other resource.
 */
public final class Contracts {
    public static final String ROOT = "contracts/";
    public static final String OPENAPI = "openapi.json";
    /** Where each event type's schema lives, as {@code events/<type>.schema.json}. */
    public static final String EVENTS = "events/";
    public static final String SCHEMA_SUFFIX = ".schema.json";

    private final Map<String, String> documents;

    private Contracts(Map<String, String> documents) {
        this.documents = Map.copyOf(documents);
    }

    /** @throws IllegalStateException when a document is missing, not JSON, or refers outside {@value #ROOT} */
    public static Contracts load() {
        Map<String, String> documents = new TreeMap<>();
        Deque<String> toRead = new ArrayDeque<>();
        toRead.add(OPENAPI);
        while (!toRead.isEmpty()) {
            String name = toRead.poll();
            if (documents.containsKey(name)) {
                continue;
            }
            String text = read(name);
            documents.put(name, text);
            collectReferences(name, parse(name, text), toRead);
        }
        return new Contracts(documents);
    }

    /** The document with this name relative to {@value #ROOT}, e.g. {@code events/send.status.schema.json}. */
    public Optional<String> document(String name) {
        return Optional.ofNullable(documents.get(name));
    }

    /** Every document's name, sorted. */
    public Iterable<String> names() {
        return documents.keySet();
    }

    private static void collectReferences(String from, JsonNode node, Deque<String> toRead) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
                toRead.add(resolve(from, ref.asText()));
            }
        }
        node.forEach(child -> collectReferences(from, child, toRead));
    }

    private static String resolve(String from, String ref) {
        URI target = URI.create(from).resolve(URI.create(ref));
        String path = target.getPath();
        if (target.isAbsolute() || path == null || path.startsWith("/") || path.startsWith("..")) {
            throw new IllegalStateException(from + " refers to " + ref + ", outside the published contracts");
        }
        return path;
    }

    private static JsonNode parse(String name, String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(ROOT + name + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String read(String name) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("The contract " + ROOT + name + " is referred to but missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
