package io.mailbridge.devhost.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The app's host.json. Keys are matched without regard to case, as the host's configuration does. */
public final class HostJson {
    private static final String OVERRIDE_PREFIX = "AzureFunctionsJobHost__";
    private final ObjectNode root;

    private HostJson(ObjectNode root) {
        this.root = root;
    }

    /** No host.json: every setting takes the host's default. */
    public static HostJson defaults() {
        return new HostJson(JsonNodeFactory.instance.objectNode());
    }

    public static HostJson read(Path file) {
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new HostStartupException(file + " does not hold a JSON object", null);
            }
            return new HostJson((ObjectNode) root);
        } catch (IOException e) {
            throw new HostStartupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * host.json with the app settings that override it applied, as the host does: a setting named
     * {@code AzureFunctionsJobHost__extensions__queues__maxPollingInterval} replaces that value
     * (Microsoft Learn, "host.json reference", override host.json values). Values stay text, as in
     * app settings; the sections read them as such.
     */
    public HostJson overriddenBy(Map<String, String> appSettings) {
        ObjectNode copy = root.deepCopy();
        appSettings.forEach((name, value) -> {
            if (!name.regionMatches(true, 0, OVERRIDE_PREFIX, 0, OVERRIDE_PREFIX.length()) || value == null) {
                return;
            }
            String[] path = name.substring(OVERRIDE_PREFIX.length()).split("__");
            ObjectNode section = copy;
            for (int i = 0; i < path.length - 1; i++) {
                String key = existingKey(section, path[i]);
                JsonNode child = section.get(key);
                section = child instanceof ObjectNode object ? object : section.putObject(key);
            }
            section.put(existingKey(section, path[path.length - 1]), value);
        });
        return new HostJson(copy);
    }

    /** The key as host.json spells it, since keys match without regard to case. */
    private static String existingKey(ObjectNode object, String name) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return name;
    }

    /** The section {@code extensions.<name>}, for example "http" or "queues". */
    public Optional<JsonNode> extension(String name) {
        return field(root, "extensions").flatMap(extensions -> field(extensions, name));
    }

    public static Optional<JsonNode> field(JsonNode object, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isNull()) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** A whole number, as a JSON number or as the text an app setting that overrides host.json gives; empty for anything else. */
    public static OptionalInt wholeNumber(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return OptionalInt.of(node.intValue());
        }
        return node.isTextual() && node.asText().strip().matches("-?\\d{1,9}") ? OptionalInt.of(Integer.parseInt(node.asText().strip()))
                : OptionalInt.empty();
    }
}
