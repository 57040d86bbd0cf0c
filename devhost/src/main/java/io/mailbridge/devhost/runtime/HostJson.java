package io.mailbridge.devhost.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** The app's host.json. Keys are matched without regard to case, as the host's configuration does. */
public final class HostJson {
    private final JsonNode root;

    private HostJson(JsonNode root) {
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
            return new HostJson(root);
        } catch (IOException e) {
            throw new HostStartupException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
}
